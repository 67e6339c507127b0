import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../src/journey/types.js';
import { startChild, type LongChild } from './children.js';
import { CHROMIUM_PATH } from './chromium.js';
import { BENCH_JOURNEYS } from './prober.js';
import { CLI, REPO } from './sandbox-proc.js';

/** One schedule of a benchmark's serve. */
export interface BenchSchedule {
  readonly journey: string;
  readonly target: string;
  readonly cron: string;
  readonly runOnStart?: boolean;
}

export interface ServeSetup {
  readonly dir: string;
  readonly sandboxUrl: string;
  /** Targets on the sandbox, each with fresh sandbox accounts: one schedule each. */
  readonly targets: readonly string[];
  readonly schedules: readonly BenchSchedule[];
  readonly concurrency: number;
  readonly recycleAfterRuns?: number;
}

/** Writes the config of a benchmark's serve; returns its path and where its results log goes. */
export function writeServeConfig(setup: ServeSetup): { config: string; results: string } {
  const results = join(setup.dir, 'runs.jsonl');
  const config = {
    journeysDir: BENCH_JOURNEYS,
    targets: Object.fromEntries(
      setup.targets.map((t) => [
        t,
        { baseUrl: setup.sandboxUrl, accounts: 'sandbox-two-factor', allowPurchases: true },
      ]),
    ),
    schedules: setup.schedules.map((s) => ({ jitterMs: 0, runOnStart: false, ...s })),
    concurrency: setup.concurrency,
    trace: 'retain-on-failure',
    artifacts: { dir: join(setup.dir, 'artifacts') },
    results: { path: results },
    browser: { path: CHROMIUM_PATH, recycleAfterRuns: setup.recycleAfterRuns ?? 200 },
    shutdownGraceMs: 10_000,
  };
  const file = join(setup.dir, 'config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return { config: file, results };
}

/** A serve in a process of its own (`journey-prober serve`), as deployed. */
export interface ServeProcess {
  readonly child: LongChild;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Epoch ms of its log lines "listening", "browser launched", "schedules armed". */
  readonly times: { readonly listening: number; readonly ready: number };
  stop(): Promise<void>;
}

function logTime(line: string): number {
  return (JSON.parse(line) as { time: number }).time;
}

function hasMsg(msg: string): (line: string) => boolean {
  return (line) => line.startsWith('{') && line.includes(`"msg":"${msg}"`);
}

export async function startServe(
  config: string,
  extraEnv: NodeJS.ProcessEnv = {},
  cli = CLI,
): Promise<ServeProcess> {
  const child = startChild(process.execPath, [cli, 'serve', '--config', config], {
    cwd: REPO,
    env: { ...process.env, PROBER_LISTEN: '127.0.0.1:0', PROBER_LOG_LEVEL: 'info', ...extraEnv },
  });
  try {
    const listening = await child.waitForLine(hasMsg('listening'), 120_000);
    const ready = await child.waitForLine(hasMsg('schedules armed'), 120_000);
    const url = (JSON.parse(listening) as { url: string }).url;
    return {
      child,
      url,
      times: { listening: logTime(listening), ready: logTime(ready) },
      stop: () => child.stop(),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** Every run in a results log (the JSON lines serve appends). */
export function readRuns(path: string): RunResult[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RunResult);
}

/** The `firstActionEpochMs` the fast journey stamps on its first line. */
export function firstAction(run: RunResult): number | undefined {
  const v = run.annotations?.firstActionEpochMs;
  return typeof v === 'number' ? v : undefined;
}
