import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../src/journey/types.js';
import { rotate, type BenchContext, type Benchmark } from './lib/bench.js';
import { commOf, processRssMiB, treeMemory } from './lib/procfs.js';
import { RESULTS_DIR, type Row } from './lib/report.js';
import { startSandboxProcess, type SandboxProcess } from './lib/sandbox-proc.js';
import { readRuns, startServe, writeServeConfig, type ServeProcess } from './lib/serve-proc.js';
import { linearFit, median, round } from './lib/stats.js';
import { lineChart } from './lib/svg.js';
import { waitUntil } from './lib/wait.js';

/** Eight schedules every second: more ready work than 4 slots, so the slots never idle. */
const TARGETS = Array.from({ length: 8 }, (_, i) => `s${i + 1}`);

interface MemorySample {
  readonly seconds: number;
  readonly runs: number;
  readonly proberRssMiB: number;
  readonly chromiumRssMiB: number;
  readonly chromiumPssMiB: number;
  readonly chromiumProcesses: number;
}

function serveSetup(sandbox: SandboxProcess, dir: string, concurrency: number) {
  return writeServeConfig({
    dir,
    sandboxUrl: sandbox.portalUrl,
    targets: TARGETS,
    schedules: TARGETS.map((target) => ({ journey: 'fast', target, cron: '* * * * * *' })),
    concurrency,
  });
}

function memoryOf(serve: ServeProcess, runs: number, t0: number): MemorySample {
  const pid = serve.child.pid;
  const chromium = treeMemory(pid, (p) => p !== pid && commOf(p) === 'chromium');
  return {
    seconds: (Date.now() - t0) / 1000,
    runs,
    proberRssMiB: processRssMiB(pid),
    chromiumRssMiB: chromium.rssMiB,
    chromiumPssMiB: chromium.pssMiB,
    chromiumProcesses: chromium.processes,
  };
}

/** 500+ consecutive runs at concurrency 1 in one serve, memory sampled every second. */
async function memoryRun(sandbox: SandboxProcess, totalRuns: number, ctx: BenchContext) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-memory-'));
  const { config, results } = serveSetup(sandbox, dir, 1);
  const serve = await startServe(config);
  const samples: MemorySample[] = [];
  const t0 = Date.now();
  let runs: RunResult[] = [];
  try {
    await waitUntil(
      () => {
        runs = readRuns(results);
        samples.push(memoryOf(serve, runs.length, t0));
        if (samples.length % 30 === 0) ctx.progress(`${runs.length}/${totalRuns} runs`);
        return runs.length >= totalRuns;
      },
      totalRuns * 5_000,
      1_000,
    );
  } finally {
    await serve.stop();
  }
  rmSync(dir, { recursive: true, force: true });
  const failed = runs.filter((r) => r.outcome !== 'success').length;
  return { samples, runs: runs.length, failed, seconds: (Date.now() - t0) / 1000 };
}

/** Runs finished per minute at a concurrency, counted in a window after a warm-up. */
async function throughput(
  sandbox: SandboxProcess,
  concurrency: number,
  warmS: number,
  windowS: number,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), `bench-scale-c${concurrency}-`));
  const { config, results } = serveSetup(sandbox, dir, concurrency);
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

function slopeAfterWarmUp(samples: readonly MemorySample[], warmRuns: number, field: keyof MemorySample) {
  const kept = samples.filter((s) => s.runs >= warmRuns);
  const fit = linearFit(
    kept.map((s) => s.runs),
    kept.map((s) => s[field]),
  );
  return {
    kibPerRun: round(fit.slope * 1024, 2),
    mibPer1000Runs: round(fit.slope * 1000, 1),
    r2: round(fit.r2, 3),
    intercept: fit.intercept,
  };
}

function plot(samples: readonly MemorySample[], warmRuns: number, date: string): string {
  const fit = slopeAfterWarmUp(samples, warmRuns, 'proberRssMiB');
  const last = samples.at(-1)!.runs;
  const svg = lineChart({
    title: `serve, ${last} runs of the fast journey at concurrency 1: memory over runs`,
    xLabel: 'runs finished',
    yLabel: 'MiB',
    series: [
      {
        name: 'prober (Node.js) RSS',
        color: '#1f77b4',
        points: samples.map((s) => [s.runs, s.proberRssMiB]),
      },
      {
        name: 'Chromium tree PSS (sum)',
        color: '#d62728',
        points: samples.map((s) => [s.runs, s.chromiumPssMiB]),
      },
      {
        name: `prober RSS fit after ${warmRuns} runs: ${fit.kibPerRun} KiB/run`,
        color: '#1f77b4',
        dashed: true,
        points: [warmRuns, last].map(
          (x) => [x, fit.intercept + (fit.mibPer1000Runs / 1000) * x] as [number, number],
        ),
      },
    ],
  });
  const file = `${RESULTS_DIR}${date}-memory.svg`;
  writeFileSync(file, svg);
  return file;
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
    const memory = await memoryRun(sandbox, totalRuns, ctx);
    const rates: Record<number, number[]> = { 1: [], 2: [], 4: [] };
    for (let r = 0; r < rounds; r++) {
      for (const c of rotate([1, 2, 4], r)) {
        const rate = await throughput(sandbox, c, warmS, windowS);
        rates[c]!.push(rate);
        ctx.progress(`round ${r + 1}/${rounds}: concurrency ${c}: ${rate.toFixed(1)} runs/min`);
      }
    }
    const date = new Date().toISOString().slice(0, 10);
    const svg = plot(memory.samples, warmRuns, date);
    const prober = slopeAfterWarmUp(memory.samples, warmRuns, 'proberRssMiB');
    const chromium = slopeAfterWarmUp(memory.samples, warmRuns, 'chromiumPssMiB');
    const rpm = (c: number): number => median(rates[c]!);
    const rows: Row[] = [
      {
        metric: 'consecutive runs in one serve (concurrency 1), failed',
        value: `${memory.runs} in ${Math.round(memory.seconds)} s, ${memory.failed} failed`,
      },
      {
        metric: `prober RSS: after warm-up → end; slope of a linear fit after ${warmRuns} runs`,
        value: `${round(memory.samples.find((s) => s.runs >= warmRuns)!.proberRssMiB)} → ${round(memory.samples.at(-1)!.proberRssMiB)} MiB; ${prober.kibPerRun} KiB/run (R² ${prober.r2})`,
        target: 'flat (no growth trend)',
      },
      {
        metric: 'Chromium tree PSS: median; slope after warm-up (recycled every 200 runs)',
        value: `${round(median(memory.samples.map((s) => s.chromiumPssMiB)))} MiB; ${chromium.kibPerRun} KiB/run (R² ${chromium.r2})`,
      },
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
        proberSlope: prober,
        chromiumSlope: chromium,
        runsPerMinute: rates,
        svg: svg.slice(RESULTS_DIR.length),
        memory: memory.samples.map((s) => [
          round(s.seconds),
          s.runs,
          round(s.proberRssMiB),
          round(s.chromiumRssMiB),
          round(s.chromiumPssMiB),
          s.chromiumProcesses,
        ]),
        memoryColumns: [
          'seconds',
          'runs',
          'proberRssMiB',
          'chromiumRssMiB',
          'chromiumPssMiB',
          'chromiumProcesses',
        ],
      },
      notes: [
        `\`journey-prober serve\` in its own process, the \`fast\` journey on ${TARGETS.length} targets each every second (jitter 0), default browser recycling (200 runs); memory from /proc every second (prober: RSS of the Node.js process; Chromium: PSS summed over its processes). Plot: \`bench/results/${svg.slice(RESULTS_DIR.length)}\`.`,
        `Runs/minute: a fresh serve per phase, runs finished in a ${windowS} s window after ${warmS} s; phases interleaved (1 2 4, 2 4 1).`,
      ],
    };
  } finally {
    await sandbox.stop();
  }
}

export const scale: Benchmark = { name: 'scale', title: 'Scale and memory', run };
