import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { UsageError } from '../config/errors.js';
import type { Target } from '../config/targets.js';
import type { Journey, RunResult } from '../journey/types.js';
import type { BrowserPool } from '../runner/browser.js';
import { runJourney } from '../runner/run-journey.js';
import type { AccountProvider, RunHooks, RunOptions, TracePolicy } from '../runner/types.js';
import type { ResultSink, RunStart, SinkList } from '../sinks/sink.js';
import type { Execute } from './types.js';

/** A target ready to probe, with where its accounts come from. */
export interface ReadyTarget {
  readonly target: Target;
  readonly accounts: AccountProvider;
}

/** How a command makes its runs: the same for `run`, `serve` and the benchmarks. */
export interface RunSettings {
  readonly browser: BrowserPool;
  readonly retries: number;
  readonly trace: TracePolicy;
  readonly artifactsDir: string;
  /** The runner makes its own child (journey, target, runId, attempt) for its lines. */
  readonly log: Logger;
  /**
   * `worker`: a journey loaded from a file runs in a worker thread of its own
   * (src/runner/isolation.ts), reused from run to run, so its bugs end its run, never the command; `off`: in this thread.
   */
  readonly isolation?: 'worker' | 'off';
}

/**
 * Where journey files' runs run: PROBER_ISOLATION if set, else the config's `isolation`
 * (default `worker`: a worker thread reused from run to run, docs/reliability.md "Journey isolation").
 * @throws UsageError for a PROBER_ISOLATION that is neither
 */
export function isolationOf(configured: 'worker' | 'off', env: NodeJS.ProcessEnv): 'worker' | 'off' {
  const asked = env.PROBER_ISOLATION;
  if (asked === undefined || asked === '') return configured;
  if (asked === 'worker' || asked === 'off') return asked;
  throw new UsageError(`PROBER_ISOLATION "${asked}" is not one of worker, off`);
}

/**
 * Journey workers for a command's runs (isolation `worker`): as many wait between runs as `keep`
 * (its concurrency or its journey files, at most 8), one starts now so the first run need not
 * wait for it. Returns what ends them (the command's teardown).
 */
export async function startJourneyWorkers(keep: number, log: Logger): Promise<() => Promise<void>> {
  const wire = await import('../runner/isolation-wire.js');
  wire.configureJourneyWorkers({
    keep,
    onIdleFault: (message, file) =>
      log.warn({ file, err: message }, 'journey code failed after its run had ended: its worker was stopped'),
  });
  wire.prewarmJourneyWorker();
  return wire.closeJourneyWorkers;
}

/** How many journey workers wait between runs, once a command knows (started with startJourneyWorkers). */
export async function keepJourneyWorkers(keep: number): Promise<void> {
  (await import('../runner/isolation-wire.js')).configureJourneyWorkers({ keep });
}

/** A journey's latency budget on a target: the target's override, else the journey's own. */
export function latencyBudgetOf(
  journey: Journey,
  target: Pick<Target, 'latencyBudgetMs'>,
): number | undefined {
  return target.latencyBudgetMs[journey.name] ?? journey.latencyBudgetMs;
}

/** The one way RunOptions are built, for every command. */
export function runOptions(
  journey: Journey,
  ready: ReadyTarget,
  settings: RunSettings,
  run: { readonly runId?: string; readonly signal?: AbortSignal; readonly hooks?: RunHooks } = {},
): RunOptions {
  const budget = latencyBudgetOf(journey, ready.target);
  return {
    browser: settings.browser,
    accounts: ready.accounts,
    log: settings.log,
    retries: settings.retries,
    trace: settings.trace,
    artifactsDir: settings.artifactsDir,
    ...(run.signal === undefined ? {} : { signal: run.signal }),
    ...(run.runId === undefined ? {} : { runId: run.runId }),
    ...(run.hooks === undefined ? {} : { hooks: run.hooks }),
    ...(budget === undefined ? {} : { latencyBudgetMs: budget }),
    ...(ready.target.secretQueryParams === undefined
      ? {}
      : { secretQueryParams: ready.target.secretQueryParams }),
  };
}

/**
 * One run of a journey on a ready target, for every command: the sinks hear it start,
 * get its steps as they end and its result when it is done (each awaited, in order),
 * then hear it end, even when the run threw.
 */
export async function executeRun(
  journey: Journey,
  ready: ReadyTarget,
  settings: RunSettings,
  sinks: SinkList,
  request: { readonly runId?: string; readonly signal?: AbortSignal } = {},
): Promise<RunResult> {
  const budget = latencyBudgetOf(journey, ready.target);
  const start: RunStart = {
    journey,
    target: ready.target.name,
    runId: request.runId ?? randomUUID(),
    ...(budget === undefined ? {} : { latencyBudgetMs: budget }),
  };
  sinks.runStart(start);
  try {
    const options = {
      ...runOptions(journey, ready, settings, {
        hooks: sinks.hooks(),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      }),
      runId: start.runId,
    };
    // A journey without a file (a test's, a benchmark's Journey object) runs in this thread.
    const file = journey.file;
    const result =
      file !== undefined && settings.isolation === 'worker'
        ? // Loaded only when asked for: the default path never loads the worker's modules.
          await (
            await import('../runner/isolation.js')
          ).runIsolated({ ...journey, file }, ready.target, options, settings.browser)
        : await runJourney(journey, ready.target, options);
    await sinks.result(result, start);
    return result;
  } finally {
    sinks.runEnd(start);
  }
}

/** What a scheduled run does: `executeRun` (what `run` calls) on the entry's target, with the scheduler's run id and signal. */
export function createExecutor(options: {
  readonly targets: ReadonlyMap<string, ReadyTarget>;
  readonly settings: RunSettings;
  readonly sinks: SinkList;
}): Execute {
  return async (entry, { runId, signal }) => {
    const ready = options.targets.get(entry.target);
    if (ready === undefined) throw new RangeError(`no target "${entry.target}" is up`);
    await executeRun(entry.journey, ready, options.settings, options.sinks, { runId, signal });
  };
}

/**
 * One log line per step, on a child logger carrying journey, target and run id: what a
 * scheduled run logs besides the runner's own outcome line.
 */
export function stepLogSink(log: Logger): ResultSink {
  const children = new Map<string, Logger>();
  return {
    name: 'step log',
    onRunStart: (run) => {
      children.set(run.runId, log.child({ journey: run.journey.name, target: run.target, runId: run.runId }));
    },
    onStepEnd: ({ runId, attempt, step }) => {
      const child = children.get(runId) ?? log.child({ runId });
      const fields = {
        step: step.name,
        attempt,
        outcome: step.outcome,
        durationMs: Math.round(step.durationMs),
      };
      if (step.failure === undefined) child.info(fields, 'step finished');
      else
        child.warn({ ...fields, class: step.failure.class, message: step.failure.message }, 'step finished');
    },
    onResult: () => undefined,
    onRunEnd: (run) => void children.delete(run.runId),
  };
}
