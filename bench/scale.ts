import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rotate, type BenchContext, type Benchmark } from './lib/bench.js';
import {
  RECYCLE_AFTER_RUNS,
  lifetimeSlopes,
  memoryRun,
  plotMemory,
  slope,
  type MemoryField,
  type Slope,
} from './lib/memory-run.js';
import type { Row } from './lib/report.js';
import { startSandboxProcess, type SandboxProcess } from './lib/sandbox-proc.js';
import { readRuns, startServe, writeServeConfig } from './lib/serve-proc.js';
import { median, round } from './lib/stats.js';
import { waitUntil } from './lib/wait.js';

/** Eight schedules every second: more ready work than 4 slots, so the slots never idle. */
const TARGETS = Array.from({ length: 8 }, (_, i) => `s${i + 1}`);

/** Runs finished per minute at a concurrency, counted in a window after a warm-up. */
async function throughput(
  sandbox: SandboxProcess,
  concurrency: number,
  warmS: number,
  windowS: number,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), `bench-scale-c${concurrency}-`));
  const { config, results } = writeServeConfig({
    dir,
    sandboxUrl: sandbox.portalUrl,
    targets: TARGETS,
    schedules: TARGETS.map((target) => ({ journey: 'fast', target, cron: '* * * * * *' })),
    concurrency,
  });
  const serve = await startServe(config);
  const from = Date.now() + warmS * 1000;
  const to = from + windowS * 1000;
  try {
    await waitUntil(() => Date.now() >= to + 1000, (warmS + windowS) * 1000 + 30_000, 500);
  } finally {
    await serve.stop();
  }
  const finished = readRuns(results)
    .map((r) => Date.parse(r.startedAt) + r.durationMs)
    .filter((t) => t >= from && t < to).length;
  rmSync(dir, { recursive: true, force: true });
  return (finished * 60) / windowS;
}

function slopeText(s: Slope): string {
  return `${s.kibPerRun} KiB/run (R² ${s.r2})`;
}

function memoryRows(samples: Parameters<typeof slope>[0], warmRuns: number): { rows: Row[]; data: object } {
  const last = samples.at(-1)!.runs;
  const fields: [MemoryField, string][] = [
    ['proberRssMiB', 'prober RSS'],
    ['proberHeapMiB', 'prober V8 heap used'],
    ['chromiumPssMiB', 'Chromium tree PSS'],
  ];
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  for (const [field, label] of fields) {
    const overall = slope(samples, field, warmRuns, last + 1);
    const lifetimes = lifetimeSlopes(samples, field, warmRuns);
    const first = samples.find((s) => s.runs >= warmRuns && Number.isFinite(s[field]))!;
    rows.push({
      metric: `${label}: at run ${first.runs} → end; linear fit after ${warmRuns} runs; per browser lifetime`,
      value: `${round(first[field])} → ${round(samples.at(-1)![field])} MiB; ${slopeText(overall)}; ${lifetimes
        .map((l) => `[${l.from}, ${l.to}) ${l.kibPerRun}`)
        .join(', ')} KiB/run`,
      ...(field === 'proberRssMiB' ? { target: 'flat (no growth trend)' } : {}),
    });
    data[field] = { overall, lifetimes };
  }
  return { rows, data };
}

async function run(ctx: BenchContext) {
  const totalRuns = ctx.quick ? 40 : 520;
  const warmRuns = ctx.quick ? 10 : 50;
  const rounds = ctx.quick ? 1 : 2;
  const warmS = ctx.quick ? 8 : 10;
  const windowS = ctx.quick ? 15 : 30;
  const sandbox = await startSandboxProcess();
  try {
    ctx.progress(`memory: ${totalRuns} runs at concurrency 1`);
    const memory = await memoryRun(sandbox, TARGETS, totalRuns, ctx);
    const rates: Record<number, number[]> = { 1: [], 2: [], 4: [] };
    for (let r = 0; r < rounds; r++) {
      for (const c of rotate([1, 2, 4], r)) {
        const rate = await throughput(sandbox, c, warmS, windowS);
        rates[c]!.push(rate);
        ctx.progress(`round ${r + 1}/${rounds}: concurrency ${c}: ${rate.toFixed(1)} runs/min`);
      }
    }
    const svg = plotMemory(memory.samples, warmRuns, new Date().toISOString().slice(0, 10));
    const mem = memoryRows(memory.samples, warmRuns);
    const rpm = (c: number): number => median(rates[c]!);
    const rows: Row[] = [
      {
        metric: 'consecutive runs in one serve (concurrency 1), failed',
        value: `${memory.runs} in ${Math.round(memory.seconds)} s, ${memory.failed} failed`,
      },
      ...mem.rows,
      ...[1, 2, 4].map((c) => ({
        metric: `runs/minute at concurrency ${c} (median of ${rounds})`,
        value: rpm(c).toFixed(1),
      })),
      {
        metric: 'runs/minute ratio 2/1, 4/1',
        value: `${(rpm(2) / rpm(1)).toFixed(2)}×, ${(rpm(4) / rpm(1)).toFixed(2)}×`,
      },
    ];
    return {
      rows,
      data: {
        totalRuns: memory.runs,
        failed: memory.failed,
        warmRuns,
        slopes: mem.data,
        runsPerMinute: rates,
        svg,
        memoryColumns: [
          'seconds',
          'runs',
          'proberRssMiB',
          'proberHeapMiB',
          'chromiumRssMiB',
          'chromiumPssMiB',
          'chromiumProcesses',
        ],
        memory: memory.samples.map((s) => [
          round(s.seconds),
          s.runs,
          round(s.proberRssMiB),
          round(s.proberHeapMiB),
          round(s.chromiumRssMiB),
          round(s.chromiumPssMiB),
          s.chromiumProcesses,
        ]),
      },
      notes: [
        `\`journey-prober serve\` in its own process, the \`fast\` journey on ${TARGETS.length} targets each every second (jitter 0), Chromium recycled every ${RECYCLE_AFTER_RUNS} runs (the default); memory every second: RSS of the Node.js process from /proc, its V8 heap from its own /metrics, Chromium's PSS summed over its processes. Plot: \`bench/results/${svg}\`.`,
        `Runs/minute: a fresh serve per phase, runs finished in a ${windowS} s window after ${warmS} s; phases interleaved (1 2 4, 2 4 1).`,
      ],
    };
  } finally {
    await sandbox.stop();
  }
}

export const scale: Benchmark = { name: 'scale', title: 'Scale and memory', run };
