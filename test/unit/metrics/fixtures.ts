import type { Outcome } from '../../../src/journey/outcomes.js';
import type { RunResult, StepResult } from '../../../src/journey/types.js';

/** A run result as the runner makes it. */
export function result(outcome: Outcome, overrides: Partial<RunResult> = {}): RunResult {
  const failed = outcome === 'failure' || outcome === 'error';
  const steps: StepResult[] = [
    { name: 'sign in', outcome: 'success', durationMs: 800 },
    failed
      ? {
          name: 'pay',
          outcome: 'failure',
          durationMs: 3_000,
          failure: { class: outcome === 'error' ? 'script' : 'payment_declined', message: 'declined' },
        }
      : { name: 'pay', outcome: 'success', durationMs: 1_200 },
    { name: 'confirm', outcome: failed ? 'skipped' : 'success', durationMs: failed ? 0 : 400 },
  ];
  const attemptOutcomes: RunResult['attemptOutcomes'] =
    outcome === 'flaky'
      ? ['failure', 'success']
      : outcome === 'failure'
        ? ['failure']
        : outcome === 'error'
          ? ['error']
          : ['success'];
  return {
    runId: `run-${outcome}`,
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    journey: 'purchase',
    target: 'sandbox',
    outcome,
    startedAt: '2026-01-05T10:00:00.000Z',
    durationMs: 5_000,
    attempts: attemptOutcomes.length,
    attemptOutcomes,
    steps,
    ...(failed
      ? {
          failure: {
            step: 'pay',
            class: outcome === 'error' ? 'script' : 'payment_declined',
            message: 'declined',
          },
        }
      : {}),
    safeMode: false,
    cleanupFailures: 0,
    annotations: {},
    ...overrides,
  };
}
