import type { Logger } from 'pino';
import type { Journey, RunResult } from '../journey/types.js';
import type { RunHooks } from '../runner/types.js';

/** A run about to start, as every sink sees it. */
export interface RunStart {
  readonly journey: Journey;
  readonly target: string;
  readonly runId: string;
  /** The budget above which a passing run is `degraded`; absent when the journey has none on this target. */
  readonly latencyBudgetMs?: number;
}

/**
 * Whatever consumes runs: metrics, the results log, retention, push, the human, JSON and
 * JUnit reporters (cloudprober's surfacers, elastic's reporters). Only `onResult` is
 * required; the runner's step hooks (`onAttemptStart`, `onStepEnd`, …) are optional too.
 * A sink handles its own failures (a push that did not go through is reported, the
 * verdict stands); what escapes is logged by the SinkList and never reaches the others.
 */
export interface ResultSink extends RunHooks {
  /** Names the sink in the log line of a hook that threw. */
  readonly name: string;
  onRunStart?(run: RunStart): void;
  /** Every finished run, in the order the sinks are listed; awaited before the run counts as done. */
  onResult(result: RunResult, run: RunStart): Promise<void> | void;
  /** After onResult, or when the run threw before it had a result. */
  onRunEnd?(run: RunStart): void;
  /** Once, when the command is done with its runs (the JUnit file, the totals line). */
  onClose?(): Promise<void> | void;
}

/**
 * The sinks of one command, in order: the one place a run's start, steps, result and the
 * command's end are handed on. A hook that throws is logged with the sink's name and the
 * other sinks still get the run.
 */
export class SinkList {
  readonly #sinks: readonly ResultSink[];
  readonly #log: Logger;

  constructor(sinks: readonly (ResultSink | undefined)[], log: Logger) {
    this.#sinks = sinks.filter((s): s is ResultSink => s !== undefined);
    this.#log = log;
  }

  get names(): readonly string[] {
    return this.#sinks.map((s) => s.name);
  }

  #guard(sink: ResultSink, hook: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#log.error({ err: error, sink: sink.name, hook }, 'result sink failed');
    }
  }

  runStart(run: RunStart): void {
    for (const sink of this.#sinks) this.#guard(sink, 'onRunStart', () => sink.onRunStart?.(run));
  }

  runEnd(run: RunStart): void {
    for (const sink of this.#sinks) this.#guard(sink, 'onRunEnd', () => sink.onRunEnd?.(run));
  }

  /** The sinks' step hooks as one set of runner hooks, each sink's hook guarded. */
  hooks(): RunHooks {
    const each = (hook: keyof RunHooks, call: (sink: ResultSink) => void): void => {
      for (const sink of this.#sinks) if (sink[hook] !== undefined) this.#guard(sink, hook, () => call(sink));
    };
    return {
      onAttemptStart: (info) => each('onAttemptStart', (s) => s.onAttemptStart?.(info)),
      onStepStart: (info) => each('onStepStart', (s) => s.onStepStart?.(info)),
      onStepEnd: (info) => each('onStepEnd', (s) => s.onStepEnd?.(info)),
      onAttemptEnd: (info) => each('onAttemptEnd', (s) => s.onAttemptEnd?.(info)),
    };
  }

  /** Hands a finished run to every sink in order, each awaited; a rejection is logged, never thrown. */
  async result(result: RunResult, run: RunStart): Promise<void> {
    for (const sink of this.#sinks) {
      try {
        await sink.onResult(result, run);
      } catch (error) {
        this.#log.error({ err: error, sink: sink.name, runId: result.runId }, 'result sink failed');
      }
    }
  }

  /** Closes every sink in order; the first failure is thrown once all were closed (a JUnit file that cannot be written is the command's error). */
  async close(): Promise<void> {
    const failures: Error[] = [];
    for (const sink of this.#sinks) {
      try {
        await sink.onClose?.();
      } catch (error) {
        failures.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    if (failures[0] !== undefined) throw failures[0];
  }
}
