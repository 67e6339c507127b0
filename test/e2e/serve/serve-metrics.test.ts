import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/journey/types.js';
import { freePort, poll, text } from '../helpers/http.js';
import { parseMetrics, promtoolCheck, sum, type Sample } from '../helpers/metrics.js';
import { ServeUnderTest, workdir, type InProcessServe } from '../helpers/serve.js';
import { ALTERNATING_JOURNEY, OK_JOURNEY, slowJourney } from './journeys.js';

/**
 * One `serve` (in this process: nothing here is about signals or processes) probing the in-process sandbox with three test journeys on
 * 6-field cron schedules, scraped by a real Prometheus every second.
 */
const SLOW_MS = 3_000;
let work: ReturnType<typeof workdir>;
let serve: InProcessServe | undefined;
let serveUrl = '';
let prometheus: ChildProcess | undefined;
let prometheusUrl = '';
let promDir = '';
let startedAt = 0;
/** The largest in_progress value seen per journey, over every scrape this file makes. */
const maxInProgress = new Map<string, number>();

async function scrape(): Promise<Sample[]> {
  const samples = parseMetrics((await text(`${serveUrl}/metrics`)).body);
  for (const s of samples.filter((x) => x.name === 'synthetic_journey_in_progress')) {
    const journey = s.labels.journey ?? '';
    maxInProgress.set(journey, Math.max(maxInProgress.get(journey) ?? 0, s.value));
  }
  return samples;
}

function logRuns(): RunResult[] {
  try {
    return readFileSync(work.results, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as RunResult);
  } catch {
    return [];
  }
}

async function promQuery(
  query: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await text(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = JSON.parse(res.body) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(res.body);
  return body.data.result;
}

beforeAll(async () => {
  const port = await freePort();
  serveUrl = `http://127.0.0.1:${port}`;
  work = workdir(
    { ok: OK_JOURNEY, alt: ALTERNATING_JOURNEY, slow: slowJourney(SLOW_MS) },
    [
      'journeysDir: journeys',
      'concurrency: 3',
      'results: { path: out/runs.jsonl }',
      'artifacts: { dir: out/artifacts }',
      'trace: "off"',
      'shutdownGraceMs: 20000',
      'schedules:',
      "  - { journey: ok, target: sandbox, cron: '*/2 * * * * *', jitterMs: 200, runOnStart: true }",
      "  - { journey: alt, target: sandbox, cron: '*/2 * * * * *', jitterMs: 200, runOnStart: true }",
      "  - { journey: slow, target: sandbox, cron: '* * * * * *', jitterMs: 0, runOnStart: true }",
      '',
    ].join('\n'),
  );
  promDir = mkdtempSync(join(tmpdir(), 'prober-prometheus-'));
  const promPort = await freePort();
  prometheusUrl = `http://127.0.0.1:${promPort}`;
  writeFileSync(
    join(promDir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: prober\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`,
  );
  prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(promDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(promDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ],
    { detached: true, stdio: 'ignore' },
  );
  serve = await ServeUnderTest.inProcess({}, [], { work, env: { PROBER_LISTEN: `127.0.0.1:${port}` } });
  startedAt = Date.now();
  await serve.ready();
  await poll(
    'prometheus ready',
    async () =>
      (await text(`${prometheusUrl}/-/ready`).catch(() => undefined))?.status === 200 ? true : undefined,
    30_000,
  );
}, 90_000);

afterAll(async () => {
  if (prometheus?.pid !== undefined) {
    try {
      process.kill(-prometheus.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (serve !== undefined) await serve.dispose();
  else if (work !== undefined) rmSync(work.dir, { recursive: true, force: true });
  rmSync(promDir, { recursive: true, force: true });
}, 60_000);

describe('serve: scheduled journeys exported to Prometheus', () => {
  it('runs every journey on its schedule and its /metrics passes promtool', async () => {
    const samples = await poll(
      'ten runs of alt',
      async () => {
        const s = await scrape();
        return sum(s, 'synthetic_journey_runs_total', { journey: 'alt' }) >= 10 ? s : undefined;
      },
      90_000,
      500,
    );
    expect(
      sum(samples, 'synthetic_journey_runs_total', { journey: 'ok', outcome: 'success' }),
    ).toBeGreaterThanOrEqual(5);
    expect(sum(samples, 'synthetic_journey_info', { journey: 'slow', schedule: '* * * * * *' })).toBe(1);
    expect(sum(samples, 'journey_prober_build_info')).toBe(1);
    expect(samples.find((s) => s.name === 'journey_prober_build_info')?.labels.browser).toMatch(/^\d+\./);
    const exposition = (await text(`${serveUrl}/metrics`)).body;
    await expect(promtoolCheck(exposition)).resolves.toBe('');
  });

  it('shows the injected failure rate (every other run of alt) in runs_total by outcome', async () => {
    const samples = await scrape();
    const failures = sum(samples, 'synthetic_journey_runs_total', { journey: 'alt', outcome: 'failure' });
    const successes = sum(samples, 'synthetic_journey_runs_total', { journey: 'alt', outcome: 'success' });
    expect(Math.abs(failures - successes)).toBeLessThanOrEqual(1);
    expect(sum(samples, 'synthetic_journey_runs_total', { journey: 'alt', outcome: 'error' })).toBe(0);
    expect(
      sum(samples, 'synthetic_journey_failures_total', {
        journey: 'alt',
        step: 'check heading',
        class: 'timeout',
      }),
    ).toBe(failures);
    expect(sum(samples, 'synthetic_journey_runs_total', { journey: 'ok', outcome: 'failure' })).toBe(0);
  });

  it('skips and counts overlapping ticks of the slow journey, never running two at once', async () => {
    const samples = await scrape();
    const runs = logRuns().filter((r) => r.journey === 'slow');
    expect(
      sum(samples, 'synthetic_journey_runs_skipped_total', { journey: 'slow', reason: 'overlap' }),
    ).toBeGreaterThanOrEqual(runs.length);
    expect(maxInProgress.get('slow')).toBe(1);
    const elapsed = (Date.now() - startedAt) / 1000;
    expect(sum(samples, 'synthetic_journey_runs_total', { journey: 'slow' })).toBeLessThanOrEqual(
      elapsed / (SLOW_MS / 1000) + 1,
    );
    // Runs of one schedule never overlap in time.
    for (const journey of ['ok', 'alt', 'slow']) {
      const ordered = logRuns()
        .filter((r) => r.journey === journey)
        .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
      for (let i = 1; i < ordered.length; i++) {
        const previousEnd = Date.parse(ordered[i - 1]!.startedAt) + ordered[i - 1]!.durationMs;
        expect(Date.parse(ordered[i]!.startedAt)).toBeGreaterThanOrEqual(Math.floor(previousEnd) - 1);
      }
    }
  });

  it('counts in /metrics match the results log run for run', async () => {
    const outcomes = ['success', 'flaky', 'degraded', 'failure', 'error'];
    const compared = await poll(
      'a moment when /metrics and the log agree',
      async () => {
        const samples = await scrape();
        const log = logRuns();
        const table = ['ok', 'alt', 'slow'].flatMap((journey) =>
          outcomes.map((outcome) => ({
            journey,
            outcome,
            metric: sum(samples, 'synthetic_journey_runs_total', { journey, target: 'sandbox', outcome }),
            log: log.filter((r) => r.journey === journey && r.outcome === outcome).length,
          })),
        );
        return table.every((row) => row.metric === row.log) ? table : undefined;
      },
      30_000,
      150,
    );
    expect(compared.reduce((n, row) => n + row.log, 0)).toBeGreaterThanOrEqual(20);
  });

  it('serves OpenMetrics with run-id exemplars from the results log', async () => {
    const om = await text(`${serveUrl}/metrics`, { accept: 'application/openmetrics-text;version=1.0.0' });
    expect(om.type).toMatch(/^application\/openmetrics-text/);
    // Each exemplar names its run and the run's W3C trace id, both from the results log.
    const exemplars = [...om.body.matchAll(/# \{run_id="([^"]+)",trace_id="([0-9a-f]{32})"\}/g)];
    expect(exemplars.length).toBeGreaterThan(0);
    const logged = new Map(logRuns().map((r) => [r.runId, r.traceId]));
    expect(exemplars.filter(([, runId, traceId]) => logged.get(runId!) !== traceId)).toEqual([]);
  });

  it('gives Prometheus the injected error ratio through the DESIGN.md query', async () => {
    const ratioQuery =
      'sum by (journey,target) (rate(synthetic_journey_runs_total{outcome="failure"}[30m])) / sum by (journey,target) (rate(synthetic_journey_runs_total{outcome!="error"}[30m]))';
    const result = await poll(
      'Prometheus to have seen ten alt runs',
      async () => {
        const seen = await promQuery(
          'sum(increase(synthetic_journey_runs_total{journey="alt",outcome!="error"}[30m]))',
        );
        if (Number(seen[0]?.value[1] ?? 0) < 10) return undefined;
        return promQuery(ratioQuery);
      },
      90_000,
      1_000,
    );
    const ratio = (journey: string) => Number(result.find((r) => r.metric.journey === journey)?.value[1]);
    expect(ratio('alt')).toBeGreaterThan(0.35);
    expect(ratio('alt')).toBeLessThan(0.65);
    expect(ratio('ok')).toBe(0);
    expect((await promQuery('up{job="prober"}'))[0]?.value[1]).toBe('1');
  });
});
