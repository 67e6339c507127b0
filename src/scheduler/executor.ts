import type { Logger } from 'pino';
import type { Target } from '../config/targets.js';
import type { RunResult } from '../journey/types.js';
import type { BrowserPool } from '../runner/browser.js';
import { runJourney } from '../runner/run-journey.js';
import type { AccountProvider, RunHooks, TracePolicy } from '../runner/types.js';
import type { Execute, ScheduleEntry } from './types.js';

/** A target ready to probe, with where its accounts come from. */
export interface ReadyTarget {
  readonly target: Target;
  readonly accounts: AccountProvider;
}

export interface ExecutorOptions {
  readonly browser: BrowserPool;
  readonly targets: ReadonlyMap<string, ReadyTarget>;
  readonly retries: number;
  readonly trace: TracePolicy;
  readonly artifactsDir: string;
  readonly log: Logger;
  /** Around each run (the in-progress gauge). */
  readonly onStart?: (entry: ScheduleEntry) => void;
  readonly onEnd?: (entry: ScheduleEntry) => void;
  /** Every finished run: metrics, results log. Awaited before the run counts as done. */
  readonly onResult: (result: RunResult, entry: ScheduleEntry) => Promise<void>;
}

/** One log line per step, on the run's child logger. */
function stepLogHooks(log: Logger): RunHooks {
  return {
    onStepEnd: ({ attempt, step }) => {
      const fields = {
        step: step.name,
        attempt,
        outcome: step.outcome,
        durationMs: Math.round(step.durationMs),
      };
      if (step.failure === undefined) log.info(fields, 'step finished');
      else log.warn({ ...fields, class: step.failure.class, message: step.failure.message }, 'step finished');
    },
  };
}

/**
 * What a scheduled run does: `runJourney` (the same call `run` makes) on the entry's
 * target, one log line per step on a child logger carrying journey, target and run id,
 * then the result to `onResult`. The runner logs the run's outcome line itself.
 */
export function createExecutor(options: ExecutorOptions): Execute {
  return async (entry, { runId, signal }) => {
    const ready = options.targets.get(entry.target);
    if (ready === undefined) throw new RangeError(`no target "${entry.target}" is up`);
    const log = options.log.child({ journey: entry.journey.name, target: entry.target, runId });
    const budget = ready.target.latencyBudgetMs[entry.journey.name];
    options.onStart?.(entry);
    try {
      const result = await runJourney(entry.journey, ready.target, {
        browser: options.browser,
        accounts: ready.accounts,
        // The runner makes its own child (journey, target, runId, attempt) for its lines.
        log: options.log,
        retries: options.retries,
        trace: options.trace,
        artifactsDir: options.artifactsDir,
        signal,
        runId,
        hooks: stepLogHooks(log),
        ...(budget === undefined ? {} : { latencyBudgetMs: budget }),
      });
      await options.onResult(result, entry);
    } finally {
      options.onEnd?.(entry);
    }
  };
}
