import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser } from '@playwright/test';
import { rotate, type BenchContext } from './bench.js';
import type { TimedExit } from './children.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';
import { pidsWithArg, topmost, treeCpuMs } from './procfs.js';
import { median, medianRatio, round, summarize, type Summary } from './stats.js';

/** One measured run: wall time, and CPU (for in-process runs split into Node.js and Chromium). */
export interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly driverCpuMs?: number;
  readonly browserCpuMs?: number;
}

export interface Contestant {
  readonly key: string;
  readonly label: string;
  run(): Promise<Sample>;
}

function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Times an in-process run: this process's CPU plus the CPU of its Chromium's process tree. */
export async function inProcess(
  browserPid: () => number | undefined,
  body: () => Promise<unknown>,
): Promise<Sample> {
  const pid = browserPid();
  if (pid === undefined) throw new Error('no Chromium process to measure');
  const cpu0 = processCpuMs();
  const browser0 = treeCpuMs(pid);
  const t0 = performance.now();
  await body();
  const wallMs = performance.now() - t0;
  const driverCpuMs = processCpuMs() - cpu0;
  const browserCpuMs = treeCpuMs(pid) - browser0;
  return { wallMs, cpuMs: driverCpuMs + browserCpuMs, driverCpuMs, browserCpuMs };
}

/** A child process's sample; a failed child fails the benchmark (it measured nothing). */
export function fromChild(exit: TimedExit, what: string): Sample {
  if (exit.code !== 0) {
    const tail = (exit.stderr || exit.stdout).trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${what} exited ${exit.code}: ${tail}`);
  }
  return { wallMs: exit.wallMs, cpuMs: Math.max(exit.cpuMs, exit.cpuMsPolled) };
}

/** A warm bare Chromium with a marker switch, so its process tree can be found in /proc. */
export async function launchBare(): Promise<{ browser: Browser; pid: number }> {
  const marker = `--bench-bare-browser=${randomUUID()}`;
  const launch = () => chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, marker] });
  // One retry: on this busy machine a launch now and then dies before its first page.
  const browser = await launch().catch(launch);
  const pid = topmost(pidsWithArg(marker));
  if (pid === undefined) {
    await browser.close();
    throw new Error('bare Chromium: process not found');
  }
  return { browser, pid };
}

/** Rounds of interleaved contestants (who goes first rotates) after one warm-up round. */
export async function interleave(
  contestants: readonly Contestant[],
  rounds: number,
  ctx: BenchContext,
): Promise<Map<string, Sample[]>> {
  const samples = new Map(contestants.map((c) => [c.key, [] as Sample[]]));
  for (let r = -1; r < rounds; r++) {
    for (const c of rotate(contestants, r + 1)) {
      const sample = await c.run();
      if (r >= 0) samples.get(c.key)!.push(sample);
    }
    const last = contestants.map((c) => `${c.key} ${Math.round(samples.get(c.key)!.at(-1)?.wallMs ?? 0)}`);
    ctx.progress(`${r < 0 ? 'warm-up' : `round ${r + 1}/${rounds}`}: ${last.join(', ')}`);
  }
  return samples;
}

/** a against b: ratio of medians, and the median of per-round ratios (robust to a round that slowed both). */
export interface Comparison {
  readonly wall: number;
  readonly cpu: number;
  readonly pairedWall: number;
  readonly pairedCpu: number;
}

export function compare(a: readonly Sample[], b: readonly Sample[]): Comparison {
  const paired = (field: 'wallMs' | 'cpuMs'): number => median(a.map((s, i) => s[field] / b[i]![field]));
  return {
    wall: round(
      medianRatio(
        a.map((s) => s.wallMs),
        b.map((s) => s.wallMs),
      ),
      4,
    ),
    cpu: round(
      medianRatio(
        a.map((s) => s.cpuMs),
        b.map((s) => s.cpuMs),
      ),
      4,
    ),
    pairedWall: round(paired('wallMs'), 4),
    pairedCpu: round(paired('cpuMs'), 4),
  };
}

export function summaries(samples: Map<string, Sample[]>): Record<string, Record<string, Summary>> {
  const out: Record<string, Record<string, Summary>> = {};
  for (const [key, list] of samples) {
    const fields: Record<string, Summary> = {
      wallMs: summarize(list.map((s) => s.wallMs)),
      cpuMs: summarize(list.map((s) => s.cpuMs)),
    };
    if (list[0]?.driverCpuMs !== undefined) fields.driverCpuMs = summarize(list.map((s) => s.driverCpuMs!));
    if (list[0]?.browserCpuMs !== undefined)
      fields.browserCpuMs = summarize(list.map((s) => s.browserCpuMs!));
    out[key] = fields;
  }
  return out;
}
