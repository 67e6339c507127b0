import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../../src/journey/types.js';
import type { BenchContext } from './bench.js';
import { commOf, processRssMiB, treeMemory } from './procfs.js';
import { RESULTS_DIR } from './report.js';
import type { SandboxProcess } from './sandbox-proc.js';
import { readRuns, startServe, writeServeConfig, type ServeProcess } from './serve-proc.js';
import { linearFit, round } from './stats.js';
import { lineChart } from './svg.js';
import { waitUntil } from './wait.js';

/** serve's default: Chromium is relaunched after this many contexts. */
export const RECYCLE_AFTER_RUNS = 200;

export interface MemorySample {
  readonly seconds: number;
  readonly runs: number;
  readonly proberRssMiB: number;
  /** V8 heap in use, from serve's own /metrics (nodejs_heap_size_used_bytes). */
  readonly proberHeapMiB: number;
  readonly chromiumRssMiB: number;
  readonly chromiumPssMiB: number;
  readonly chromiumProcesses: number;
}

async function heapMiB(serve: ServeProcess): Promise<number> {
  const text = await fetch(`${serve.url}/metrics`, { signal: AbortSignal.timeout(5_000) })
    .then((r) => r.text())
    .catch(() => '');
  const match = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) / 2 ** 20;
}

async function memoryOf(serve: ServeProcess, runs: number, t0: number): Promise<MemorySample> {
  const pid = serve.child.pid;
  const chromium = treeMemory(pid, (p) => p !== pid && commOf(p) === 'chromium');
  return {
    seconds: (Date.now() - t0) / 1000,
    runs,
    proberRssMiB: processRssMiB(pid),
    proberHeapMiB: await heapMiB(serve),
    chromiumRssMiB: chromium.rssMiB,
    chromiumPssMiB: chromium.pssMiB,
    chromiumProcesses: chromium.processes,
  };
}

/** `totalRuns` consecutive runs of the fast journey at concurrency 1 in one serve, memory every second. */
export async function memoryRun(
  sandbox: SandboxProcess,
  targets: readonly string[],
  totalRuns: number,
  ctx: BenchContext,
) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-memory-'));
  const { config, results } = writeServeConfig({
    dir,
    sandboxUrl: sandbox.portalUrl,
    targets,
    schedules: targets.map((target) => ({ journey: 'fast', target, cron: '* * * * * *' })),
    concurrency: 1,
    recycleAfterRuns: RECYCLE_AFTER_RUNS,
  });
  const serve = await startServe(config);
  const samples: MemorySample[] = [];
  const t0 = Date.now();
  let runs: RunResult[] = [];
  try {
    await waitUntil(
      async () => {
        runs = readRuns(results);
        samples.push(await memoryOf(serve, runs.length, t0));
        if (samples.length % 30 === 0) ctx.progress(`${runs.length}/${totalRuns} runs`);
        return runs.length >= totalRuns;
      },
      totalRuns * 5_000,
      1_000,
    );
  } finally {
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = runs.filter((r) => r.outcome !== 'success').length;
  return { samples, runs: runs.length, failed, seconds: (Date.now() - t0) / 1000 };
}

export type MemoryField = 'proberRssMiB' | 'proberHeapMiB' | 'chromiumPssMiB';

export interface Slope {
  readonly from: number;
  readonly to: number;
  readonly kibPerRun: number;
  readonly r2: number;
  readonly intercept: number;
  readonly slope: number;
}

/** Least-squares slope of a field over runs in [from, to). */
export function slope(samples: readonly MemorySample[], field: MemoryField, from: number, to: number): Slope {
  const kept = samples.filter((s) => s.runs >= from && s.runs < to && Number.isFinite(s[field]));
  const fit = linearFit(
    kept.map((s) => s.runs),
    kept.map((s) => s[field]),
  );
  return {
    from,
    to,
    kibPerRun: round(fit.slope * 1024, 1),
    r2: round(fit.r2, 3),
    intercept: fit.intercept,
    slope: fit.slope,
  };
}

/**
 * Slopes within each browser lifetime (between recycles), skipping the first runs of each:
 * a run-to-run leak shows in every segment; a sawtooth that recycling resets does not.
 */
export function lifetimeSlopes(
  samples: readonly MemorySample[],
  field: MemoryField,
  warmRuns: number,
): Slope[] {
  const last = samples.at(-1)?.runs ?? 0;
  const out: Slope[] = [];
  for (let start = 0; start < last; start += RECYCLE_AFTER_RUNS) {
    const from = start + (start === 0 ? warmRuns : 10);
    const to = Math.min(start + RECYCLE_AFTER_RUNS, last + 1);
    if (to - from >= 40) out.push(slope(samples, field, from, to));
  }
  return out;
}

/** The memory plot, written next to the results; returns its file name. */
export function plotMemory(samples: readonly MemorySample[], warmRuns: number, date: string): string {
  const last = samples.at(-1)!.runs;
  const fit = slope(samples, 'proberRssMiB', warmRuns, last + 1);
  const series = (name: string, color: string, field: MemoryField) => ({
    name,
    color,
    points: samples.filter((s) => Number.isFinite(s[field])).map((s): [number, number] => [s.runs, s[field]]),
  });
  const svg = lineChart({
    title: `serve, ${last} runs of the fast journey at concurrency 1 (Chromium recycled every ${RECYCLE_AFTER_RUNS})`,
    xLabel: 'runs finished',
    yLabel: 'MiB',
    series: [
      series('prober (Node.js) RSS', '#1f77b4', 'proberRssMiB'),
      series('prober V8 heap used', '#2ca02c', 'proberHeapMiB'),
      series('Chromium tree PSS (sum)', '#d62728', 'chromiumPssMiB'),
      {
        name: `prober RSS, linear fit after ${warmRuns} runs: ${fit.kibPerRun} KiB/run`,
        color: '#1f77b4',
        dashed: true,
        points: [warmRuns, last].map((x): [number, number] => [x, fit.intercept + fit.slope * x]),
      },
    ],
  });
  const file = `${date}-memory.svg`;
  writeFileSync(`${RESULTS_DIR}${file}`, svg);
  return file;
}
