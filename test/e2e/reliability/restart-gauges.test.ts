import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Outcome } from '../../../src/journey/outcomes.js';
import type { RunResult } from '../../../src/journey/types.js';
import { sum } from '../helpers/metrics.js';
import { ServeUnderTest, workdir } from '../helpers/serve.js';
import { siteJourney } from './site-journey.js';

/**
 * serve restarts on a results log whose newest run of a series is an `error` (the run the
 * restart's SIGTERM cut) or a `failure`: the gauges come back from the history that counts,
 * not from the last line, so a deploy does not flip `synthetic_journey_success` to 0 or the
 * last-success time to 0. No run happens in the test: the schedules fire once a year.
 */
let serve: ServeUnderTest | undefined;

afterAll(async () => {
  await serve?.dispose();
});

const minute = (n: number): string => new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
const finishedAt = (n: number): number => (Date.UTC(2026, 0, 1, 0, n) + 1000) / 1000;

function record(journey: string, outcome: Outcome, n: number): RunResult {
  const failed = outcome === 'failure' || outcome === 'error';
  return {
    runId: `${journey}-${n}`,
    journey,
    target: 'site',
    outcome,
    startedAt: minute(n),
    durationMs: 1000,
    attempts: 1,
    attemptOutcomes: [outcome === 'error' ? 'error' : failed ? 'failure' : 'success'],
    steps: [{ name: 'open', outcome: 'success', durationMs: 10 }],
    ...(failed
      ? {
          failure: {
            step: 'check',
            class: outcome === 'error' ? ('browser' as const) : ('timeout' as const),
            message: 'x',
          },
        }
      : {}),
    safeMode: false,
    cleanupFailures: 0,
    annotations: {},
  };
}

describe('reliability: gauges after a restart', () => {
  it('newest run error or failure: success from the newest counted run, last success from the newest passed one', async () => {
    const history = [
      record('cut', 'success', 1),
      record('cut', 'success', 2),
      record('cut', 'error', 3), // the run the SIGTERM cut
      record('broke', 'flaky', 1),
      record('broke', 'failure', 2),
      record('broke', 'error', 3),
      record('broke', 'failure', 4),
    ];
    const journeys = {
      cut: siteJourney({ name: 'cut', path: '/' }),
      broke: siteJourney({ name: 'broke', path: '/' }),
    };
    const work = workdir(journeys, '');
    mkdirSync(dirname(work.results), { recursive: true });
    writeFileSync(work.results, history.map((r) => `${JSON.stringify(r)}\n`).join(''));
    serve = await ServeUnderTest.inProcess(
      journeys,
      [
        'journeysDir: journeys',
        'results: { path: out/runs.jsonl }',
        'artifacts: { dir: out/artifacts }',
        'trace: "off"',
        'targets:',
        '  site: { baseUrl: "http://127.0.0.1:9", allowPurchases: true, latencyBudgetMs: { cut: 20000 } }',
        'schedules:',
        "  - { journey: '*', target: site, cron: '0 0 1 1 *', runOnStart: false }",
      ],
      { work },
    );
    const s = serve;
    onTestFailed(() => console.log(s.tail()));
    await s.ready();
    const m = await s.metrics();
    const cut = { journey: 'cut', target: 'site' };
    const broke = { journey: 'broke', target: 'site' };
    expect(sum(m, 'synthetic_journey_success', cut)).toBe(1);
    expect(sum(m, 'synthetic_journey_last_success_timestamp_seconds', cut)).toBe(finishedAt(2));
    expect(sum(m, 'synthetic_journey_last_run_timestamp_seconds', cut)).toBe(finishedAt(3));
    expect(sum(m, 'synthetic_journey_success', broke)).toBe(0);
    expect(sum(m, 'synthetic_journey_last_success_timestamp_seconds', broke)).toBe(finishedAt(1));
    expect(sum(m, 'synthetic_journey_last_run_timestamp_seconds', broke)).toBe(finishedAt(4));
    // The latency budget is exported from the start for a journey that has one, for the latency alert.
    expect(sum(m, 'synthetic_journey_latency_budget_seconds', cut)).toBe(20);
    expect(m.filter((x) => x.name === 'synthetic_journey_latency_budget_seconds')).toHaveLength(1);
    expect((await s.stop()).code).toBe(0);
  });
});
