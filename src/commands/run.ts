import { isAbsolute, relative, resolve } from 'node:path';
import type { Logger } from 'pino';
import { SessionStore } from '../accounts/sessions.js';
import { UsageError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { resolveTargetSpec } from '../config/targets.js';
import type { RunResult } from '../journey/types.js';
import type { SecretRegistry } from '../log.js';
import { formatRunSummary, formatTotals, humanHooks, type Terminal } from '../report/human.js';
import { writeJunitReport } from '../report/junit.js';
import { RunPusher } from '../metrics/push.js';
import { runJourney } from '../runner/run-journey.js';
import type { TracePolicy } from '../runner/types.js';
import { exitCodeOf } from './exit-code.js';
import { bringUp, checkSecrets, createBrowserPool, loadAndSelect } from './prepare.js';

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
  const { selected } = await loadAndSelect(config, options.journeys, options.all, (line) =>
    io.stderr.write(`${line}\n`),
  );
  const spec = resolveTargetSpec(config, options.target, options.baseUrl);
  checkSecrets(spec, selected, io.env);
  const browser = createBrowserPool(
    {
      ...config.browser,
      headless: config.browser.headless && !options.headed,
      ...(options.slowMo === undefined ? {} : { slowMo: options.slowMo }),
      recycleAfterRuns: 0,
    },
    io.env,
    io.log,
  );
  const sessions = openSessionFile(options.sessionFile, options.artifacts ?? config.artifacts.dir, io);
  const live = await bringUp(spec, io.secrets, io.log, io.env, {}, sessions ? { sessions } : {});
  const results: RunResult[] = [];
  const pusher = options.push === undefined ? undefined : new RunPusher(options.push, () => browser.version);
  try {
    const hooks = options.json ? undefined : humanHooks(io.stdout);
    for (let round = 0; round < options.repeat && !io.signal.aborted; round++) {
      for (const journey of selected) {
        if (io.signal.aborted) break;
        const result = await runJourney(journey, live.target, {
          browser,
          accounts: live.accounts,
          log: io.log,
          retries: options.retries ?? config.retries,
          trace: options.trace ?? config.trace,
          artifactsDir: options.artifacts ?? config.artifacts.dir,
          signal: io.signal,
          ...(hooks === undefined ? {} : { hooks }),
          ...(live.target.latencyBudgetMs[journey.name] === undefined
            ? {}
            : { latencyBudgetMs: live.target.latencyBudgetMs[journey.name] }),
        });
        results.push(result);
        // A push failure is reported and never changes the verdict or the exit code.
        await pusher?.push(journey, result).catch((error: unknown) => {
          io.stderr.write(`journey-prober: ${error instanceof Error ? error.message : String(error)}\n`);
        });
        if (options.json) io.stdout.write(`${JSON.stringify(result)}\n`);
        else io.stdout.write(formatRunSummary(result, io.stdout.color));
      }
    }
  } finally {
    await browser.close();
    await live.close();
  }
  if (!options.json) io.stdout.write(formatTotals(results));
  if (options.junit !== undefined) writeJunitReport(options.junit, results);
  return exitCodeOf(results);
}
