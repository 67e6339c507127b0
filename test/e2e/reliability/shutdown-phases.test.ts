import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { parseResultLine } from '../../../src/results/schema.js';
import { startFaultSite, type FaultSite } from './fault-site.js';
import { poll } from '../helpers/http.js';
import { chromiumGroupsOf, liveChromium } from '../helpers/process.js';
import { ServeUnderTest, type ServeProcess } from '../helpers/serve.js';
import { siteJourney } from './site-journey.js';

/**
 * SIGTERM in every phase of serve's life: while starting (HTTP up, browser launching),
 * in the middle of a run, and while a failed run's evidence is being written; and a
 * second SIGTERM. Each time: out within the grace period, no Chromium left, and every
 * line of the results log is a whole run result.
 */
const GRACE_MS = 3_000;
let site: FaultSite;
let serve: ServeProcess | undefined;

const config = (trace: string): string[] => [
  'journeysDir: journeys',
  'results: { path: out/runs.jsonl }',
  'artifacts: { dir: out/artifacts }',
  `trace: "${trace}"`,
  `shutdownGraceMs: ${GRACE_MS}`,
  'targets:',
  `  site: { baseUrl: "${site.origin}", allowPurchases: true }`,
  'schedules:',
  "  - { journey: probe, target: site, cron: '* * * * * *', jitterMs: 0, runOnStart: true }",
];

beforeAll(async () => {
  site = await startFaultSite();
});

afterEach(async () => {
  await serve?.dispose();
  serve = undefined;
});

afterAll(async () => {
  await site?.close();
});

/** Every non-empty line of the results log is a run result; returns them. */
function wholeLines(s: ServeProcess): ReturnType<typeof parseResultLine>[] {
  let body = '';
  try {
    body = readFileSync(s.work.results, 'utf8');
  } catch {
    return [];
  }
  expect(body === '' || body.endsWith('\n')).toBe(true);
  const runs = body
    .split('\n')
    .filter((l) => l !== '')
    .map(parseResultLine);
  expect(runs.every((r) => r !== undefined)).toBe(true);
  return runs;
}

async function start(journey: string, trace = 'off'): Promise<ServeProcess> {
  serve = await ServeUnderTest.process({ probe: journey }, config(trace));
  const s = serve;
  onTestFailed(() => console.log(s.tail()));
  return s;
}

async function noChromium(s: ServeProcess, groups: readonly number[]): Promise<void> {
  await poll(
    'Chromium to be gone',
    () => Promise.resolve(liveChromium(groups).length === 0 ? true : undefined),
    10_000,
    100,
  );
  expect(chromiumGroupsOf(s.prober.pid)).toEqual([]);
}

describe('reliability: shutdown in every phase', () => {
  it('while starting (HTTP up, browser launching): exits 0 at once, starts no run', async () => {
    site.mode = 'hang';
    const s = await start(siteJourney({ name: 'probe', path: '/', timeoutMs: 60_000 }));
    await poll(
      'HTTP up',
      () => Promise.resolve(s.logLines().some((l) => l.msg === 'listening') ? true : undefined),
      45_000,
      20,
    );
    const stopped = await s.stop();
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.ms).toBeLessThan(GRACE_MS);
    expect(wholeLines(s)).toEqual([]);
    expect(site.hits('/')).toBe(0);
    expect(s.logLines().some((l) => l.msg === 'run skipped' && l.reason === 'shutdown')).toBe(true);
  });

  it('in the middle of a run: the run is cut after the grace period and recorded as error/timeout', async () => {
    site.mode = 'hang';
    const s = await start(siteJourney({ name: 'probe', path: '/', timeoutMs: 60_000 }));
    await s.ready();
    await poll(
      'a run held by the portal',
      () => Promise.resolve(site.held > 0 ? true : undefined),
      30_000,
      50,
    );
    const groups = chromiumGroupsOf(s.prober.pid);
    const stopped = await s.stop();
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.ms).toBeGreaterThanOrEqual(GRACE_MS - 200);
    expect(stopped.ms).toBeLessThan(GRACE_MS + 10_000);
    const runs = wholeLines(s);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      outcome: 'error',
      failure: { class: 'timeout', message: 'run aborted by shutdown' },
    });
    await noChromium(s, groups);
  });

  it('while a failed run writes its evidence: the run and its artifacts are finished, then it exits', async () => {
    site.mode = 'ok';
    // Fails on its last step after several page loads, so there is a trace to scrub and write.
    const failing = siteJourney({ name: 'probe', path: '/', stepTimeoutMs: 800 }).replace(
      "name: 'Welcome'",
      "name: 'Goodbye'",
    );
    const s = await start(failing, 'on');
    await s.ready();
    const root = join(s.work.dir, 'out', 'artifacts', 'probe', 'site');
    // The run directory exists before result.json, which is written last.
    const writing = await poll(
      'a run directory being written',
      () => {
        if (!existsSync(root)) return Promise.resolve(undefined);
        const dirs = readdirSync(root).map((d) => join(root, d));
        return Promise.resolve(dirs.find((d) => !existsSync(join(d, 'result.json'))));
      },
      30_000,
      2,
    );
    const groups = chromiumGroupsOf(s.prober.pid);
    const stopped = await s.stop();
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.ms).toBeLessThan(GRACE_MS + 5_000);
    const runs = wholeLines(s);
    const run = runs.find((r) => r?.artifacts?.dir === writing);
    expect(run).toMatchObject({ outcome: 'failure', failure: { step: 'check', class: 'timeout' } });
    expect(readdirSync(writing).sort()).toEqual([
      'console.log',
      'requests.json',
      'result.json',
      'screenshot.png',
      'trace.zip',
    ]);
    expect(JSON.parse(readFileSync(join(writing, 'result.json'), 'utf8'))).toMatchObject({
      runId: run?.runId,
    });
    await noChromium(s, groups);
  });

  it('a second SIGTERM leaves at once, and still no Chromium is left behind', async () => {
    site.mode = 'hang';
    const s = await start(siteJourney({ name: 'probe', path: '/', timeoutMs: 60_000 }));
    await s.ready();
    await poll(
      'a run held by the portal',
      () => Promise.resolve(site.held > 0 ? true : undefined),
      30_000,
      50,
    );
    const groups = chromiumGroupsOf(s.prober.pid);
    s.prober.signal('SIGTERM');
    await poll(
      'shutdown begun',
      () => Promise.resolve(s.logLines().some((l) => l.msg === 'shutting down') ? true : undefined),
      10_000,
      20,
    );
    const t0 = Date.now();
    s.prober.signal('SIGTERM');
    const exit = await s.prober.exited;
    expect(exit).toEqual({ code: 143, signal: null });
    expect(Date.now() - t0).toBeLessThan(GRACE_MS);
    wholeLines(s);
    await noChromium(s, groups);
  });
});
