import { isAbsolute, relative, resolve } from 'node:path';
import type { Logger } from 'pino';
import { SessionStore } from '../accounts/sessions.js';
import { UsageError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { resolveTargetSpec } from '../config/targets.js';
import type { RunResult } from '../journey/types.js';
import type { SecretRegistry } from '../log.js';
import type { TracePolicy } from '../runner/types.js';
import {
  executeRun,
  isolationOf,
  keepJourneyWorkers,
  startJourneyWorkers,
  type RunSettings,
} from '../scheduler/executor.js';
import { SinkList } from '../sinks/sink.js';
import { humanSink, jsonSink, progressSink, type Terminal } from '../sinks/stdout.js';
import { bringUp, checkDisplay, checkSecrets, createBrowserPool, loadAndSelect } from './prepare.js';

/** `journey-prober run`'s options, parsed and checked by the CLI. */
export interface RunCommandOptions {
  readonly journeys: readonly string[];
  readonly all: boolean;
  readonly target?: string;
  readonly baseUrl?: string;
  readonly headed: boolean;
  readonly slowMo?: number;
  readonly trace?: TracePolicy;
  readonly repeat: number;
  readonly retries?: number;
  readonly json: boolean;
  readonly junit?: string;
  readonly push?: string;
  readonly artifacts?: string;
  /** Keep signed-in sessions in this file (0600), never under the artifacts dir. */
  readonly sessionFile?: string;
}

export interface CommandIO {
  readonly stdout: Terminal;
  readonly stderr: Terminal;
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  /** `text`: the log is for a person (serve and demo print run lines and a banner); default json. */
  readonly logFormat?: 'text' | 'json';
  readonly secrets: SecretRegistry;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

/** `--session-file`: sessions are secrets, so never a file under the artifacts dir. */
function openSessionFile(
  file: string | undefined,
  artifactsDir: string,
  io: CommandIO,
): SessionStore | undefined {
  if (file === undefined) return undefined;
  const inside = relative(resolve(artifactsDir), resolve(file));
  if (!inside.startsWith('..') && !isAbsolute(inside)) {
    throw new UsageError(
      `--session-file ${file} is inside the artifacts dir ${artifactsDir}: sessions are secrets`,
    );
  }
  try {
    return SessionStore.fromFile(file, io.secrets);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Runs journeys once against one target and reports: the laptop and the deploy pipeline. */
export async function runCommand(
  options: RunCommandOptions,
  config: LoadedConfig,
  io: CommandIO,
): Promise<number> {
  const isolation = isolationOf(config.isolation, io.env);
  // The journeys' worker loads Playwright while this thread loads the journeys and the target
  // comes up (two cores do both at once); it has to be ready before the first step anyway.
  const closeWorkers = isolation === 'worker' ? await startJourneyWorkers(1, io.log) : undefined;
  try {
    return await runWith(options, config, io, isolation);
  } finally {
    await closeWorkers?.();
  }
}

async function runWith(
  options: RunCommandOptions,
  config: LoadedConfig,
  io: CommandIO,
  isolation: 'worker' | 'off',
): Promise<number> {
  const { selected } = await loadAndSelect(config, options.journeys, options.all, (line) =>
    io.stderr.write(`${line}\n`),
  );
  const spec = resolveTargetSpec(config, options.target, options.baseUrl);
  checkSecrets(spec, selected, io.env);
  const headless = config.browser.headless && !options.headed;
  checkDisplay(headless, options.headed ? '--headed' : 'browser.headless: false', io.env);
  const browser = createBrowserPool(
    {
      ...config.browser,
      server: isolation === 'worker',
      headless,
      ...(options.slowMo === undefined ? {} : { slowMo: options.slowMo }),
      recycleAfterRuns: 0,
    },
    io.env,
    io.log,
  );
  const sessions = openSessionFile(options.sessionFile, options.artifacts ?? config.artifacts.dir, io);
  // As many workers wait between runs as there are journey files (each file's own is reused).
  const files = new Set(selected.flatMap((j) => (j.file === undefined ? [] : [j.file]))).size;
  if (isolation === 'worker' && files > 1) await keepJourneyWorkers(files);
  const live = await bringUp(spec, io.secrets, io.log, io.env, {}, sessions ? { sessions } : {});
  const settings: RunSettings = {
    browser,
    retries: options.retries ?? config.retries,
    trace: options.trace ?? config.trace,
    artifactsDir: options.artifacts ?? config.artifacts.dir,
    log: io.log,
    isolation,
  };
  const warn = (line: string): void => io.stderr.write(`${line}\n`);
  // junit-report-builder (~75 ms of CPU to load) and prom-client (~150 ms with what it pulls
  // in) load only when --junit or --push asks for them.
  const junit =
    options.junit === undefined ? undefined : (await import('../sinks/junit.js')).junitSink(options.junit);
  const gateway = options.push;
  const push =
    gateway === undefined
      ? undefined
      : await import('../metrics/push.js').then((m) =>
          m.pushSink(new m.RunPusher(gateway, () => browser.version), warn),
        );
  const sinks = new SinkList(
    [
      push,
      // Before the report: the live step line is cleared before the step's own line is written.
      progressSink(io.stderr),
      options.json ? jsonSink(io.stdout) : humanSink(io.stdout),
      junit,
    ],
    io.log,
  );
  const results: RunResult[] = [];
  try {
    for (let round = 0; round < options.repeat && !io.signal.aborted; round++) {
      for (const journey of selected) {
        if (io.signal.aborted) break;
        results.push(await executeRun(journey, live, settings, sinks, { signal: io.signal }));
      }
    }
  } finally {
    await browser.close();
    await live.close();
  }
  await sinks.close();
  return exitCodeOf(results);
}

/**
 * Exit code of a set of runs (DESIGN.md "Commands"): 1 when the target failed any run, else
 * 3 when the prober broke on any, else 0 (flaky and degraded runs passed). A deploy gate rolls
 * back on 1 and alerts the prober's owners on 3.
 */
export function exitCodeOf(results: readonly RunResult[]): 0 | 1 | 3 {
  if (results.some((r) => r.outcome === 'failure')) return 1;
  if (results.some((r) => r.outcome === 'error')) return 3;
  return 0;
}
