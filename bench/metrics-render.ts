import { performance } from 'node:perf_hooks';
import { Registry, type RegistryContentType } from 'prom-client';
import type { Outcome } from '../src/journey/outcomes.js';
import type { RunResult } from '../src/journey/types.js';
import { setBuildInfo, registerDefaultMetrics } from '../src/metrics/runtime.js';
import { createExemplarRegistry, createMetrics, type ProberMetrics } from '../src/metrics/catalogue.js';
import { recordRun, seedSeries } from '../src/metrics/record.js';
import { renderMetrics } from '../src/metrics/render.js';
import { rotate, times, type BenchContext, type Benchmark } from './lib/bench.js';
import type { Row } from './lib/report.js';
import { medianRatio, percentile, round, summarize } from './lib/stats.js';

const JOURNEYS = Array.from({ length: 10 }, (_, i) => `journey-${i + 1}`);
const TARGETS = ['sandbox', 'staging', 'production'];
const STEPS = ['sign in', 'subscription details', 'billing address', 'payment', 'confirm', 'provisioned'];
const OUTCOMES: readonly Outcome[] = [
  'success',
  'success',
  'success',
  'flaky',
  'degraded',
  'failure',
  'error',
];
const CLASSES = ['timeout', 'http_error', 'assertion', 'payment_declined'] as const;

/** A run result of journey × target, the i-th of its series: outcomes, steps and failures vary. */
function result(journey: string, target: string, i: number): RunResult {
  const outcome = OUTCOMES[i % OUTCOMES.length]!;
  const failed = outcome === 'failure' || outcome === 'error';
  const failStep = STEPS[i % STEPS.length]!;
  return {
    runId: `${journey}-${target}-${i}`,
    journey,
    target,
    outcome,
    startedAt: new Date(Date.now() - 60_000 * i).toISOString(),
    durationMs: 5_000 + 997 * i,
    attempts: outcome === 'flaky' ? 2 : 1,
    attemptOutcomes:
      outcome === 'flaky'
        ? ['failure', 'success']
        : [failed ? (outcome === 'error' ? 'error' : 'failure') : 'success'],
    steps: STEPS.map((name) => ({
      name,
      outcome: 'success' as const,
      durationMs: 100 + 37 * i + name.length,
    })),
    ...(failed
      ? {
          failure: {
            step: failStep,
            class: outcome === 'error' ? 'script' : CLASSES[i % CLASSES.length]!,
            message: 'x',
          },
        }
      : {}),
    safeMode: false,
    cleanupFailures: i % 11 === 0 ? 1 : 0,
    annotations: {},
  };
}

/** serve's registry (default metrics, the catalogue, build info) with 10 journeys × 3 targets and 20 runs each. */
function populate(registry: Registry<RegistryContentType>, exemplars: boolean): ProberMetrics {
  registerDefaultMetrics(registry);
  const metrics = createMetrics(registry, { exemplars });
  setBuildInfo(metrics, '156.0.0.0');
  for (const journey of JOURNEYS) {
    for (const target of TARGETS) {
      seedSeries(metrics, { journey, target, steps: STEPS, schedule: '*/5 * * * *' });
      for (let i = 0; i < 20; i++) recordRun(metrics, result(journey, target, i));
    }
  }
  return metrics;
}

/** Wall and CPU time of one render: on a shared 2-core machine CPU time is the steadier of the two. */
async function timed(render: () => Promise<string>): Promise<{ ms: number; cpuMs: number; bytes: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const body = await render();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms: wall, cpuMs: (cpu.user + cpu.system) / 1000, bytes: Buffer.byteLength(body) };
}

async function run(ctx: BenchContext) {
  const iterations = ctx.quick ? 50 : 400;
  const warmUp = ctx.quick ? 10 : 40;
  const serveRegistry = createExemplarRegistry();
  populate(serveRegistry, true);
  const plainRegistry = new Registry();
  populate(plainRegistry, false);
  const contestants = [
    {
      key: 'text',
      label: 'renderMetrics, Prometheus text (serve, no Accept)',
      render: async () => (await renderMetrics(serveRegistry, undefined)).body,
    },
    {
      key: 'openmetrics',
      label: "renderMetrics, OpenMetrics with exemplars (Prometheus's Accept)",
      render: async () =>
        (
          await renderMetrics(
            serveRegistry,
            'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5',
          )
        ).body,
    },
    {
      key: 'prom-client',
      label: "prom-client's own registry.metrics() (same series, no exemplars)",
      render: () => plainRegistry.metrics(),
    },
  ];
  const ms: Record<string, number[]> = Object.fromEntries(contestants.map((c) => [c.key, []]));
  const cpuMs: Record<string, number[]> = Object.fromEntries(contestants.map((c) => [c.key, []]));
  const bytes: Record<string, number> = {};
  for (let i = -warmUp; i < iterations; i++) {
    for (const c of rotate(contestants, i + warmUp)) {
      const t = await timed(c.render);
      if (i >= 0) {
        ms[c.key]!.push(t.ms);
        cpuMs[c.key]!.push(t.cpuMs);
      }
      bytes[c.key] = t.bytes;
    }
  }
  ctx.progress(`${iterations} renders of each after ${warmUp} warm-up`);
  const p = (key: string, q: number, of = ms): number => percentile(of[key]!, q);
  const rows: Row[] = [
    ...contestants.map((c) => ({
      metric: `${c.label} (${Math.round(bytes[c.key]! / 1024)} KiB): CPU median / p90; wall median / p90`,
      value:
        `${p(c.key, 50, cpuMs).toFixed(2)} / ${p(c.key, 90, cpuMs).toFixed(2)} ms; ` +
        `${p(c.key, 50).toFixed(2)} / ${p(c.key, 90).toFixed(2)} ms`,
      ...(c.key === 'prom-client'
        ? {}
        : { target: '≤ 5 ms', verdict: p(c.key, 50, cpuMs) <= 5 ? ('met' as const) : ('missed' as const) }),
    })),
    {
      metric: 'renderMetrics text / prom-client metrics(): CPU, wall',
      value: `${times(medianRatio(cpuMs.text!, cpuMs['prom-client']!))}, ${times(medianRatio(ms.text!, ms['prom-client']!))}`,
    },
  ];
  return {
    rows,
    data: {
      iterations,
      series: `${JOURNEYS.length} journeys × ${TARGETS.length} targets, ${STEPS.length} steps, 20 runs each`,
      bytes,
      ms: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, summarize(v.map((x) => round(x, 3)))])),
      cpuMs: Object.fromEntries(
        Object.entries(cpuMs).map(([k, v]) => [k, summarize(v.map((x) => round(x, 3)))]),
      ),
    },
    notes: [
      'Render timed in-process on a registry populated through the metrics module (seedSeries, recordRun) plus default process metrics, as serve builds it. The target is judged on CPU time (process.cpuUsage around each render): wall time on this shared 2-core machine mostly measures the queue for a core.',
    ],
  };
}

export const metricsRender: Benchmark = { name: 'metrics', title: '/metrics render time', run };
