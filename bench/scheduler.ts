import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import type { RunResult } from '../src/journey/types.js';
import { sandboxAccount } from './lib/bare-journey.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.js';
import { ms, type BenchContext, type Benchmark } from './lib/bench.js';
import type { Row } from './lib/report.js';
import { startSandboxProcess, type SandboxProcess } from './lib/sandbox-proc.js';
import { firstAction, readRuns, startServe, writeServeConfig, type BenchSchedule } from './lib/serve-proc.js';
import { percentile, round, summarize } from './lib/stats.js';
import { waitUntil } from './lib/wait.js';

/** The probe ticks every 2 s: a lag under 2 s maps its first action to its tick unambiguously. */
const PROBE_CRON = '*/2 * * * * *';
const PERIOD_MS = 2000;
/** Runs right after start-up are warm-up (first context, JIT). */
const WARM_UP_RUNS = 2;

interface Lag {
  /** Tick (the cron's 2-second boundary) to the journey's first line. */
  readonly totalMs: number;
  /** Tick to runJourney's start (scheduler, queue, executor). */
  readonly schedulerMs: number;
  /** runJourney's start to the journey's first line (account, context, page). */
  readonly runnerMs: number;
}

function lagOf(run: RunResult): Lag | undefined {
  const first = firstAction(run);
  if (first === undefined) return undefined;
  const tick = Math.floor(first / PERIOD_MS) * PERIOD_MS;
  const started = Date.parse(run.startedAt);
  return { totalMs: first - tick, schedulerMs: started - tick, runnerMs: first - started };
}

type Condition = 'idle' | 'busy';

async function phase(sandbox: SandboxProcess, condition: Condition, seconds: number): Promise<Lag[]> {
  const dir = mkdtempSync(join(tmpdir(), `bench-scheduler-${condition}-`));
  const probe: BenchSchedule = { journey: 'fast', target: 'lag', cron: PROBE_CRON };
  // Busy: two more schedules keep two of the three slots running a real journey all the time,
  // so every probe run starts while all three slots are busy.
  const busy: BenchSchedule[] = ['busy-1', 'busy-2'].map((target) => ({
    journey: 'checkout-start',
    target,
    cron: '* * * * * *',
  }));
  const { config, results } = writeServeConfig({
    dir,
    sandboxUrl: sandbox.portalUrl,
    targets: condition === 'idle' ? ['lag'] : ['lag', 'busy-1', 'busy-2'],
    schedules: condition === 'idle' ? [probe] : [probe, ...busy],
    concurrency: condition === 'idle' ? 1 : 3,
  });
  const serve = await startServe(config);
  try {
    const probes = (): RunResult[] => readRuns(results).filter((r) => r.journey === 'fast');
    const wanted = WARM_UP_RUNS + Math.floor((seconds * 1000) / PERIOD_MS);
    await waitUntil(() => probes().length >= wanted, (seconds + 30) * 1000);
  } finally {
    await serve.stop();
  }
  const runs = readRuns(results).filter((r) => r.journey === 'fast' && r.outcome === 'success');
  rmSync(dir, { recursive: true, force: true });
  return runs
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .slice(WARM_UP_RUNS)
    .map(lagOf)
    .filter((l): l is Lag => l !== undefined);
}

/**
 * The floor of the runner's part: what bare Playwright pays before a journey's first line
 * (a fresh account, context and page on a warm browser), measured the same way.
 */
async function bareSetup(sandbox: SandboxProcess, samples: number): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  const out: number[] = [];
  try {
    for (let i = -2; i < samples; i++) {
      const t0 = performance.now();
      await sandboxAccount(sandbox.portalUrl);
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.newPage();
      if (i >= 0) out.push(performance.now() - t0);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return out;
}

async function run(ctx: BenchContext) {
  const rounds = ctx.quick ? 1 : 2;
  const seconds = ctx.quick ? 10 : 30;
  const sandbox = await startSandboxProcess();
  const lags: Record<Condition, Lag[]> = { idle: [], busy: [] };
  const floor: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      for (const condition of r % 2 === 0 ? (['idle', 'busy'] as const) : (['busy', 'idle'] as const)) {
        const got = await phase(sandbox, condition, seconds);
        lags[condition].push(...got);
        ctx.progress(`round ${r + 1}/${rounds} ${condition}: ${got.length} probe runs`);
      }
    }
    floor.push(...(await bareSetup(sandbox, ctx.quick ? 10 : 40)));
  } finally {
    await sandbox.stop();
  }
  const rows: Row[] = [
    {
      metric: `floor: bare Playwright account + new context + new page on a warm browser: p50 / p99 (n=${floor.length})`,
      value: `${ms(percentile(floor, 50))} / ${ms(percentile(floor, 99))}`,
    },
  ];
  const data: Record<string, unknown> = { rounds, secondsPerPhase: seconds, bareSetupMs: summarize(floor) };
  for (const condition of ['idle', 'busy'] as const) {
    const list = lags[condition];
    if (list.length === 0) throw new Error(`no probe runs in the ${condition} phases`);
    const total = list.map((l) => l.totalMs);
    const p99 = percentile(total, 99);
    const label =
      condition === 'idle' ? 'idle (concurrency 1)' : 'all 3 slots busy (2 running checkout-start)';
    rows.push(
      {
        metric: `tick → first action, ${label}: p50 / p99 (n=${list.length})`,
        value: `${ms(percentile(total, 50))} / ${ms(p99)}`,
        ...(condition === 'idle'
          ? { target: 'p99 ≤ 50 ms', verdict: p99 <= 50 ? ('met' as const) : ('missed' as const) }
          : {}),
      },
      {
        metric: `  of which tick → runJourney start (scheduler): p50 / p99`,
        value: `${ms(
          percentile(
            list.map((l) => l.schedulerMs),
            50,
          ),
        )} / ${ms(
          percentile(
            list.map((l) => l.schedulerMs),
            99,
          ),
        )}`,
      },
      {
        metric: `  of which runJourney start → first action (account, context, page): p50 / p99`,
        value: `${ms(
          percentile(
            list.map((l) => l.runnerMs),
            50,
          ),
        )} / ${ms(
          percentile(
            list.map((l) => l.runnerMs),
            99,
          ),
        )}`,
      },
    );
    data[condition] = {
      totalMs: summarize(total),
      p99TotalMs: round(p99),
      schedulerMs: summarize(list.map((l) => l.schedulerMs)),
      runnerMs: summarize(list.map((l) => l.runnerMs)),
      samples: list.map((l) => [round(l.totalMs), round(l.schedulerMs), round(l.runnerMs)]),
    };
  }
  return {
    rows,
    data,
    notes: [
      `\`journey-prober serve\` in its own process, the \`fast\` journey on \`${PROBE_CRON}\` (jitter 0); its first line stamps performance.timeOrigin + performance.now(); the tick is the 2-second boundary before it; runJourney's start is the result's startedAt.`,
      'Idle and busy phases alternate (A B, B A), each in a fresh serve; the first runs of each serve are dropped as warm-up.',
    ],
  };
}

export const schedulerLag: Benchmark = { name: 'scheduler', title: 'Scheduler start lag', run };
