import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { resolveBrowserPath } from '../../../src/runner/browser.js';
import { startFaultSite, type FaultSite } from './fault-site.js';
import { poll } from '../helpers/http.js';
import { sum } from '../helpers/metrics.js';
import { chromiumGroupsOf, liveChromium } from '../helpers/process.js';
import { ServeUnderTest, type ServeProcess } from '../helpers/serve.js';
import { siteJourney } from './site-journey.js';

/**
 * Chromium that will not start: a path that does not exist, and a wrapper script that
 * exits 1 while a `broken` file exists next to it (so the test can break and mend it
 * without restarting serve).
 */
let site: FaultSite;
let binDir: string;
let wrapper: string;
let serve: ServeProcess | undefined;

const config = (origin: string): string[] => [
  'journeysDir: journeys',
  'results: { path: out/runs.jsonl }',
  'artifacts: { dir: out/artifacts }',
  'trace: "off"',
  'shutdownGraceMs: 10000',
  'targets:',
  `  site: { baseUrl: "${origin}", allowPurchases: true }`,
  'schedules:',
  "  - { journey: ok, target: site, cron: '* * * * * *', jitterMs: 0, runOnStart: true }",
];
const journeys = () => ({ ok: siteJourney({ name: 'ok', path: '/', timeoutMs: 20_000 }) });

beforeAll(async () => {
  site = await startFaultSite();
  binDir = mkdtempSync(join(tmpdir(), 'prober-broken-chromium-'));
  wrapper = join(binDir, 'chromium');
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      `if [ -e "${binDir}/broken" ]; then echo "chromium: refusing to start (test fault)" >&2; exit 1; fi`,
      `exec "${resolveBrowserPath().path}" "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(wrapper, 0o755);
});

afterEach(async () => {
  await serve?.dispose();
  serve = undefined;
});

afterAll(async () => {
  await site?.close();
  rmSync(binDir, { recursive: true, force: true });
});

const breakBrowser = (): void => writeFileSync(join(binDir, 'broken'), '');
const mendBrowser = (): void => rmSync(join(binDir, 'broken'), { force: true });

describe('reliability: the browser will not launch', () => {
  it('a PROBER_BROWSER_PATH that does not exist: one line naming it, exit 3, nothing recorded', async () => {
    serve = await ServeUnderTest.process(journeys(), config(site.origin), {
      env: { PROBER_BROWSER_PATH: '/nonexistent/chromium' },
    });
    expect(await serve.prober.exited).toEqual({ code: 3, signal: null });
    expect(serve.prober.stderr).toBe(
      "journey-prober: no Chromium found (looked at PROBER_BROWSER_PATH=/nonexistent/chromium (does not exist)): install Debian's chromium or set PROBER_BROWSER_PATH\n",
    );
    expect(serve.runs()).toEqual([]);
  });

  it('a browser that exits 1 at start-up: never ready, exit 3 with a clear line, no run recorded; a restart with a good browser recovers', async () => {
    breakBrowser();
    serve = await ServeUnderTest.process(journeys(), config(site.origin), {
      env: { PROBER_BROWSER_PATH: wrapper },
    });
    const readiness: number[] = [];
    const exited = serve.prober.exited;
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      const r = await serve.readyz().catch(() => undefined);
      if (r !== undefined) readiness.push(r.status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await exited).toEqual({ code: 3, signal: null });
    expect(readiness.every((s) => s === 503)).toBe(true);
    expect(serve.prober.stderr).toMatch(
      new RegExp(
        `^journey-prober: could not launch Chromium at ${wrapper}: .*refusing to start \\(test fault\\)`,
      ),
    );
    expect(serve.prober.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(serve.runs()).toEqual([]);
    const work = serve.work;
    serve = undefined;

    mendBrowser();
    serve = await ServeUnderTest.process(journeys(), config(site.origin), {
      env: { PROBER_BROWSER_PATH: wrapper },
      work,
    });
    await serve.ready();
    await serve.runsWhere('a passing run', (r) => r.outcome === 'success', 1, 30_000);
    expect((await serve.stop()).code).toBe(0);
  });

  it('breaks while serve runs: not ready, every run error/browser (never success), a clear log line; mended: ready and passing again without a restart', async () => {
    mendBrowser();
    serve = await ServeUnderTest.process(journeys(), config(site.origin), {
      env: { PROBER_BROWSER_PATH: wrapper },
    });
    const s = serve;
    onTestFailed(() => console.log(s.tail()));
    await s.ready();
    await s.runsWhere('a passing run', (r) => r.outcome === 'success', 1, 30_000);

    breakBrowser();
    const [group] = chromiumGroupsOf(s.prober.pid).filter((g) => liveChromium([g]).length > 0);
    process.kill(group!, 'SIGKILL');
    const brokenAt = s.runs().length;
    const failed = await poll(
      'two runs that could not launch the browser',
      () => {
        const after = s.runs().slice(brokenAt);
        const launches = after.filter((r) => /could not launch Chromium/.test(r.failure?.message ?? ''));
        return Promise.resolve(launches.length >= 2 ? after : undefined);
      },
      30_000,
      100,
    );
    for (const run of failed) expect(run).toMatchObject({ outcome: 'error', failure: { class: 'browser' } });
    const notReady = await s.readyz();
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatch(/^not ready: the browser would not launch: could not launch Chromium at /);
    expect(
      s
        .logLines()
        .some((l) => l.level === 50 && l.msg === 'browser would not launch' && l.executablePath === wrapper),
    ).toBe(true);
    let samples = await s.metrics();
    expect(
      sum(samples, 'synthetic_journey_failures_total', { journey: 'ok', class: 'browser' }),
    ).toBeGreaterThanOrEqual(2);
    // The last verdict on the target stands: a prober error says nothing about it.
    expect(sum(samples, 'synthetic_journey_success', { journey: 'ok' })).toBe(1);

    const mendedAt = s.runs().length;
    mendBrowser();
    await s.runsWhere('a passing run after the mend', (r) => r.outcome === 'success', 2, 30_000);
    await s.ready(10_000);
    const between = s.runs().slice(brokenAt, mendedAt);
    expect(between.filter((r) => r.outcome === 'success')).toEqual([]);
    samples = await s.metrics();
    expect(sum(samples, 'journey_prober_browser_restarts_total')).toBe(1);
    expect((await s.stop()).code).toBe(0);
  });
});
