import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startFaultSite, type FaultSite } from './fault-site.js';
import { sum } from '../helpers/metrics.js';
import { chromiumGroupsOf, footprint, liveChromium } from '../helpers/process.js';
import { ServeUnderTest, type ServeProcess } from '../helpers/serve.js';
import { siteJourney } from './site-journey.js';

/**
 * Every request to the portal hangs. Each run of serve ends at its timeout; ticks during
 * a run are skipped as overlap; memory, file descriptors, held connections and Chromium
 * processes stay bounded over many runs.
 */
const TIMEOUT_MS = 1_500;
const RUNS = 12;
const WARM = 4;
let site: FaultSite;
let serve: ServeProcess;

beforeAll(async () => {
  site = await startFaultSite();
  site.mode = 'hang';
  serve = await ServeUnderTest.process(
    { hang: siteJourney({ name: 'hang', path: '/', timeoutMs: TIMEOUT_MS }) },
    [
      'journeysDir: journeys',
      'results: { path: out/runs.jsonl }',
      'artifacts: { dir: out/artifacts, maxRuns: 3 }',
      'trace: "retain-on-failure"',
      'shutdownGraceMs: 10000',
      'targets:',
      `  site: { baseUrl: "${site.origin}", allowPurchases: true }`,
      'schedules:',
      "  - { journey: hang, target: site, cron: '* * * * * *', jitterMs: 0, runOnStart: true }",
    ],
  );
  await serve.ready();
});

afterAll(async () => {
  await serve?.dispose();
  await site?.close();
});

/** Processes of serve's browser(s) that are alive. */
const chromiumCount = (): number => liveChromium(chromiumGroupsOf(serve.prober.pid)).length;

describe('reliability: the portal hangs on every request', () => {
  it(`${RUNS} runs each end at the timeout, overlapping ticks are skipped, resources stay bounded`, async () => {
    onTestFailed(() => console.log(serve.tail()));
    let maxInProgress = 0;
    const sample = async (): Promise<void> => {
      const m = await serve.metrics();
      maxInProgress = Math.max(maxInProgress, sum(m, 'synthetic_journey_in_progress', { journey: 'hang' }));
    };
    await serve.runsWhere('warm-up runs', () => true, WARM, 60_000);
    await sample();
    const warm = { ...footprint(serve.prober.pid), chromium: chromiumCount() };
    const deadline = Date.now() + 90_000;
    while (serve.runs().length < RUNS && Date.now() < deadline) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const runs = serve.runs().slice(0, RUNS);
    expect(runs).toHaveLength(RUNS);
    const end = { ...footprint(serve.prober.pid), chromium: chromiumCount() };

    for (const run of runs) {
      expect(run).toMatchObject({ outcome: 'failure', failure: { step: 'open', class: 'timeout' } });
      expect(run.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS);
      expect(run.durationMs).toBeLessThan(TIMEOUT_MS + 10_000);
    }
    expect(maxInProgress).toBe(1);
    const samples = await serve.metrics();
    const overlaps = sum(samples, 'synthetic_journey_runs_skipped_total', {
      journey: 'hang',
      reason: 'overlap',
    });
    // A run takes more than a second of a one-second schedule: a tick meets it nearly every time.
    expect(overlaps).toBeGreaterThanOrEqual(RUNS / 2);
    const skipLines = serve.logLines().filter((l) => l.msg === 'run skipped' && l.reason === 'overlap');
    expect(skipLines.length).toBe(overlaps);

    // Bounded: nothing grows with the number of runs.
    console.log(
      `portal hang: warm ${JSON.stringify(warm)}, after ${RUNS} runs ${JSON.stringify(end)}, held ${site.held}`,
    );
    expect(end.fds - warm.fds).toBeLessThanOrEqual(10);
    expect(end.rssKb - warm.rssKb).toBeLessThan(80 * 1024);
    // A context being opened or closed at the sample moment adds a renderer or two; a leak would add one a run.
    expect(end.chromium - warm.chromium).toBeLessThanOrEqual(4);
    expect(site.held).toBeLessThanOrEqual(2); // the current run's requests, no leaked ones
    const stopped = await serve.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000 + 5_000);
  });
});
