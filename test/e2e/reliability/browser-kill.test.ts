import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startFaultSite, type FaultSite } from './fault-site.js';
import { poll } from '../helpers/http.js';
import { sum } from '../helpers/metrics.js';
import { chromiumGroupsOf, liveChromium, zombieChildren } from '../helpers/process.js';
import { ServeUnderTest, type ServeProcess } from '../helpers/serve.js';
import { siteJourney } from './site-journey.js';

/**
 * Chromium SIGKILLed three times in the middle of a run of `serve`: each run ends `error`
 * with class `browser`, the next run relaunches, the restarts are counted on /metrics, and
 * nothing of the killed browsers stays alive or unreaped.
 */
const KILLS = 3;
let site: FaultSite;
let serve: ServeProcess;

beforeAll(async () => {
  site = await startFaultSite();
  site.setPath('/hold', 'hang');
  serve = await ServeUnderTest.process(
    { hold: siteJourney({ name: 'hold', path: '/hold', timeoutMs: 90_000, stepTimeoutMs: 60_000 }) },
    [
      'journeysDir: journeys',
      'results: { path: out/runs.jsonl }',
      'artifacts: { dir: out/artifacts }',
      'trace: "off"',
      'shutdownGraceMs: 10000',
      'targets:',
      `  site: { baseUrl: "${site.origin}", allowPurchases: true }`,
      'schedules:',
      "  - { journey: hold, target: site, cron: '* * * * * *', jitterMs: 0, runOnStart: true }",
    ],
  );
  await serve.ready();
});

afterAll(async () => {
  await serve?.dispose();
  await site?.close();
});

/** The one Chromium group of serve with live processes, besides the ones killed. */
function liveGroup(killed: readonly number[]): number {
  const groups = chromiumGroupsOf(serve.prober.pid).filter(
    (g) => !killed.includes(g) && liveChromium([g]).length > 0,
  );
  expect(groups).toHaveLength(1);
  return groups[0]!;
}

describe('reliability: the browser is killed mid-run', () => {
  it(`SIGKILL ${KILLS} times: error/browser each time, relaunched, counted, next run passes, no orphans or zombies`, async () => {
    onTestFailed(() => console.log(serve.tail()));
    const killed: number[] = [];
    let hitsAtKill = 0;
    for (let i = 1; i <= KILLS; i++) {
      // A run on a fresh browser is held on /hold: kill that browser's main process.
      await poll(
        'a run held on /hold',
        () => Promise.resolve(site.hits('/hold') > hitsAtKill && site.held > 0 ? true : undefined),
        30_000,
        50,
      );
      const group = liveGroup(killed);
      hitsAtKill = site.hits('/hold');
      process.kill(group, 'SIGKILL'); // Playwright starts Chromium as its group's leader
      killed.push(group);
      await serve.runsWhere(`${i} crashed runs`, (r) => r.outcome === 'error', i, 30_000);
    }
    site.setPath('/hold', 'ok');
    const [passed] = await serve.runsWhere(
      'a run that passes after the crashes',
      (r) => r.outcome === 'success',
      1,
      30_000,
    );
    expect(passed).toBeDefined();

    const runs = serve.runs();
    const errors = runs.filter((r) => r.outcome === 'error');
    expect(errors).toHaveLength(KILLS);
    for (const run of errors) {
      expect(run.failure).toMatchObject({ step: 'open', class: 'browser' });
      expect(run.failure?.message).toMatch(/browser|context|closed/i);
    }
    expect(runs.every((r) => r.outcome === 'error' || r.outcome === 'success')).toBe(true);

    const samples = await serve.metrics();
    expect(sum(samples, 'journey_prober_browser_restarts_total')).toBe(KILLS);
    expect(sum(samples, 'synthetic_journey_runs_total', { journey: 'hold', outcome: 'error' })).toBe(KILLS);
    expect(
      sum(samples, 'synthetic_journey_failures_total', { journey: 'hold', step: 'open', class: 'browser' }),
    ).toBe(KILLS);
    expect(
      sum(samples, 'synthetic_journey_runs_total', { journey: 'hold', outcome: 'success' }),
    ).toBeGreaterThanOrEqual(1);
    // Prober errors say nothing about the target: the success gauge follows the passing run.
    expect(sum(samples, 'synthetic_journey_success', { journey: 'hold' })).toBe(1);

    // Every killed browser is gone (renderers, zygotes, GPU process), and serve reaped its children.
    await poll(
      'killed browsers to be gone',
      () => Promise.resolve(liveChromium(killed).length === 0 ? true : undefined),
      10_000,
      100,
    );
    expect(zombieChildren(serve.prober.pid)).toEqual([]);
    const current = liveGroup(killed);

    const stopped = await serve.stop();
    expect(stopped).toMatchObject({ code: 0, signal: null });
    await poll(
      'the last browser to be gone',
      () => Promise.resolve(liveChromium([current]).length === 0 ? true : undefined),
      10_000,
      100,
    );
    const restartLogs = serve
      .logLines()
      .filter((l) => l.msg === 'browser disconnected; it will be relaunched for the next run');
    expect(restartLogs).toHaveLength(KILLS);
  });
});
