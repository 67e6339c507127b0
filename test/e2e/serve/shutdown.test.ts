import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/journey/types.js';
import { freePort, poll, text } from '../helpers/http.js';
import { parseMetrics, sum } from '../helpers/metrics.js';
import { aliveInGroup, chromiumGroupsOf, ProberProcess } from '../helpers/process.js';
import { workdir } from '../helpers/serve.js';
import { OK_JOURNEY, slowJourney } from './journeys.js';

const config = (graceMs: number) =>
  [
    'journeysDir: journeys',
    'results: { path: out/runs.jsonl }',
    'artifacts: { dir: out/artifacts }',
    'trace: "off"',
    `shutdownGraceMs: ${graceMs}`,
    'schedules:',
    "  - { journey: slow, target: sandbox, cron: '* * * * * *', jitterMs: 0, runOnStart: true }",
    "  - { journey: ok, target: sandbox, cron: '*/2 * * * * *', jitterMs: 0 }",
    '',
  ].join('\n');

const work = workdir({ ok: OK_JOURNEY, slow: slowJourney(4_000) }, config(20_000));
let current: ProberProcess | undefined;

afterEach(async () => {
  if (current !== undefined && current.child.exitCode === null && current.child.signalCode === null) {
    current.kill();
    await current.exited;
  }
  current = undefined;
});

function logRuns(): RunResult[] {
  let lines: string;
  try {
    lines = readFileSync(work.results, 'utf8');
  } catch {
    return []; // no run has finished yet
  }
  return lines
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RunResult);
}

async function startServe(): Promise<{ prober: ProberProcess; url: string }> {
  const port = await freePort();
  const prober = new ProberProcess(
    ['serve', '--config', work.config],
    { PROBER_LISTEN: `127.0.0.1:${port}` },
    work.dir,
  );
  current = prober;
  const url = `http://127.0.0.1:${port}`;
  await poll(
    'serve ready',
    async () => ((await text(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
    45_000,
  );
  return { prober, url };
}

/** Waits until a slow run is going, and returns the Chromium process groups serve started. */
async function whileSlowRuns(prober: ProberProcess, url: string): Promise<number[]> {
  await poll(
    'a slow run in progress',
    async () =>
      sum(parseMetrics((await text(`${url}/metrics`)).body), 'synthetic_journey_in_progress', {
        journey: 'slow',
      }) === 1
        ? true
        : undefined,
    30_000,
    100,
  );
  const groups = chromiumGroupsOf(prober.pid);
  expect(groups.length).toBeGreaterThan(0);
  return groups;
}

async function noChromiumLeft(groups: readonly number[]): Promise<void> {
  await poll(
    'Chromium to be gone',
    () => Promise.resolve(groups.every((g) => aliveInGroup(g).length === 0) ? true : undefined),
    10_000,
    100,
  );
}

describe('serve: shutdown under load, and a restart', () => {
  it('on SIGTERM runs no more, lets the running run finish within the grace period, exits 0 and leaves no Chromium', async () => {
    const { prober, url } = await startServe();
    const groups = await whileSlowRuns(prober, url);
    const logged = logRuns().length;
    const t0 = Date.now();
    prober.signal('SIGTERM');
    // While the run winds up: not ready, and ticks meanwhile count as shutdown skips.
    const draining = await poll(
      'a shutdown skip',
      async () => {
        const samples = parseMetrics((await text(`${url}/metrics`)).body);
        return sum(samples, 'synthetic_journey_runs_skipped_total', { reason: 'shutdown' }) > 0
          ? samples
          : undefined;
      },
      10_000,
      100,
    );
    expect(sum(draining, 'synthetic_journey_in_progress', { journey: 'slow' })).toBe(1);
    expect((await text(`${url}/readyz`)).body).toBe('not ready: shutting down\n');
    const exit = await prober.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(20_000);
    await noChromiumLeft(groups);
    const after = logRuns();
    const finished = after.slice(logged).filter((r) => r.journey === 'slow');
    expect(finished.map((r) => r.outcome)).toEqual(['success']);
    expect(
      // The quick `ok` journey may be running too when the signal comes: it finishes as well.
      prober.logLines().some((l) => l.msg === 'runs wound up' && Number(l.finished) >= 1 && l.aborted === 0),
    ).toBe(true);
  });

  it('after a restart shows the earlier history, and aborts a run that outlives the grace period', async () => {
    const before = logRuns();
    writeFileSync(work.config, config(1_500));
    writeFileSync(join(work.dir, 'journeys', 'slow.journey.ts'), slowJourney(60_000));
    const { prober, url } = await startServe();
    const restored = prober.logLines().find((l) => l.msg === 'run history read back');
    expect(restored?.restored).toBe(before.length);
    const samples = parseMetrics((await text(`${url}/metrics`)).body);
    // The gauges come back from the log (the new slow run takes a minute: it has not finished).
    const lastSlow = before.filter((r) => r.journey === 'slow').at(-1);
    expect(lastSlow?.outcome).toBe('success');
    const finishedAt = (Date.parse(lastSlow!.startedAt) + lastSlow!.durationMs) / 1000;
    expect(sum(samples, 'synthetic_journey_last_success_timestamp_seconds', { journey: 'slow' })).toBeCloseTo(
      finishedAt,
      2,
    );
    expect(sum(samples, 'synthetic_journey_success', { journey: 'slow' })).toBe(1);
    expect(sum(samples, 'synthetic_journey_runs_total', { journey: 'slow' })).toBe(0);

    const groups = await whileSlowRuns(prober, url);
    const t0 = Date.now();
    prober.signal('SIGTERM');
    expect(await prober.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(1_500 + 10_000);
    await noChromiumLeft(groups);
    const aborted = logRuns()
      .slice(before.length)
      .filter((r) => r.journey === 'slow');
    expect(aborted.at(-1)).toMatchObject({ outcome: 'error', failure: { class: 'timeout' } });
    // The slow run is aborted; an `ok` run caught by the signal on a slow machine may be too.
    expect(prober.logLines().some((l) => l.msg === 'runs wound up' && Number(l.aborted) >= 1)).toBe(true);
  });

  it('refuses a bad PROBER_LISTEN or an unknown journey in a schedule: one line, exit 2, no browser', async () => {
    const badListen = new ProberProcess(
      ['serve', '--config', work.config],
      { PROBER_LISTEN: 'localhost' },
      work.dir,
    );
    expect(await badListen.exited).toEqual({ code: 2, signal: null });
    expect(badListen.stderr).toBe(
      'journey-prober: PROBER_LISTEN "localhost" must be HOST:PORT with a port from 0 to 65535 (e.g. 127.0.0.1:9464)\n',
    );
    writeFileSync(work.config, `${config(1_000)}  - { journey: purchse, target: sandbox }\n`);
    const unknown = new ProberProcess(
      ['serve', '--config', work.config],
      { PROBER_LISTEN: '127.0.0.1:0' },
      work.dir,
    );
    expect(await unknown.exited).toEqual({ code: 2, signal: null });
    expect(unknown.stderr).toMatch(
      /^journey-prober: .*config\.yaml: schedules\[2\]\.journey: unknown journey "purchse" \(known: ok, slow\)\n$/,
    );
    expect(chromiumGroupsOf(unknown.pid)).toEqual([]);
  });
});

process.on('exit', () => rmSync(work.dir, { recursive: true, force: true }));
