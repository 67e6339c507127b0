import type { Outcome } from '../../../src/journey/outcomes.js';
import type { RunResult, StepResult } from '../../../src/journey/types.js';
import type { RunQuery, RunSource } from '../../../src/status/history.js';

/** 2026-11-24T12:00:00Z: the injected "now" of these tests. */
export const NOW = Date.parse('2026-11-24T12:00:00.000Z');
export const MINUTE = 60_000;

let counter = 0;

/** A run result that started `minutesAgo` before NOW. */
export function run(outcome: Outcome, minutesAgo: number, overrides: Partial<RunResult> = {}): RunResult {
  counter += 1;
  const failed = outcome === 'failure' || outcome === 'error';
  const steps: StepResult[] = [
    { name: 'sign in', outcome: 'success', durationMs: 400 },
    failed
      ? {
          name: 'pay',
          outcome: 'failure',
          durationMs: 600,
          failure: { class: 'payment_declined', message: 'Your card was declined' },
        }
      : { name: 'pay', outcome: 'success', durationMs: 600 },
  ];
  return {
    runId: `run-${counter}`,
    journey: 'purchase',
    target: 'sandbox',
    outcome,
    startedAt: new Date(NOW - minutesAgo * MINUTE).toISOString(),
    durationMs: 1000,
    attempts: outcome === 'flaky' ? 2 : 1,
    attemptOutcomes:
      outcome === 'flaky'
        ? ['failure', 'success']
        : [outcome === 'error' ? 'error' : failed ? 'failure' : 'success'],
    steps,
    ...(failed
      ? {
          failure: {
            step: 'pay',
            class: outcome === 'error' ? 'script' : 'payment_declined',
            message: 'Your card was declined',
          },
        }
      : {}),
    safeMode: false,
    cleanupFailures: 0,
    annotations: {},
    ...overrides,
  };
}

/** An in-memory RunSource over `runs` (any order), newest first like RunHistory. */
export function sourceOf(runs: readonly RunResult[]): RunSource {
  const sorted = [...runs].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  return {
    recent(query: RunQuery) {
      return sorted
        .filter(
          (r) =>
            (query.journey === undefined || r.journey === query.journey) &&
            (query.target === undefined || r.target === query.target),
        )
        .slice(0, query.limit);
    },
    latestPerSeries() {
      const latest = new Map<string, RunResult>();
      for (const r of [...sorted].reverse()) latest.set(`${r.journey}|${r.target}`, r);
      return [...latest.values()];
    },
  };
}
