import { performance } from 'node:perf_hooks';
import { MAX_STEP_NAMES } from '../journey/define.js';
import { PSEUDO_STEPS } from '../journey/outcomes.js';
import type { FailureInfo, StepFn, StepOptions, StepResult } from '../journey/types.js';
import type { AttemptState } from './attempt-state.js';
import { StepContractError, StepTimeoutError } from './errors.js';
import { attemptOutcomeOf } from './outcome.js';
import { raceAbort, withTimeout } from './timing.js';

export interface StepTrackerOptions {
  readonly state: AttemptState;
  /** The journey's declared step names, when it declares them. */
  readonly declared?: readonly string[];
  readonly defaultTimeoutMs: number;
  /** Classifies an error thrown by a step that started at `since` (performance.now()). */
  readonly classify: (error: unknown, since: number) => FailureInfo;
  /** Bounds individual browser actions by the step's timeout (context default timeout). */
  readonly setActionTimeout?: (ms: number) => void;
  readonly onStart?: (name: string) => void;
  readonly onEnd?: (result: StepResult) => void;
  /** Groups the step's actions in the trace (Playwright's `tracing.group` / `groupEnd`). */
  readonly traceGroup?: { start(name: string): Promise<void>; end(): Promise<void> };
}

interface Running {
  readonly name: string;
  readonly start: number;
}

/**
 * The `step()` of one attempt: times each step with `performance.now()`, bounds it by
 * its timeout and by the attempt, records its result, and enforces the step rules
 * (no nesting, declared names only, at most MAX_STEP_NAMES distinct names).
 */
export class StepTracker {
  readonly #options: StepTrackerOptions;
  readonly #results: StepResult[] = [];
  readonly #names = new Set<string>();
  #running: Running | undefined;
  #lastEnd: number = performance.now();

  constructor(options: StepTrackerOptions) {
    this.#options = options;
  }

  /** The step running now, if any. */
  get running(): Running | undefined {
    return this.#running;
  }

  /** When the last step ended (or the tracker was made): errors between steps are "since" then. */
  get lastEnd(): number {
    return this.#lastEnd;
  }

  /** Results so far, then declared steps never reached as `skipped`. */
  results(): StepResult[] {
    const reached = new Set(this.#results.map((r) => r.name));
    const skipped = (this.#options.declared ?? [])
      .filter((name) => !reached.has(name))
      .map((name): StepResult => ({ name, outcome: 'skipped', durationMs: 0 }));
    return [...this.#results, ...skipped];
  }

  readonly step: StepFn = async <T>(
    name: string,
    body: () => Promise<T>,
    options?: StepOptions,
  ): Promise<T> => {
    const { state } = this.#options;
    if (state.signal.aborted) throw state.signal.reason as Error;
    const timeoutMs = this.#check(name, options);
    const start = performance.now();
    this.#running = { name, start };
    this.#options.onStart?.(name);
    this.#options.setActionTimeout?.(timeoutMs);
    const group = this.#options.traceGroup;
    // The group opens inside the step's time bound: a wedged browser cannot hold the step.
    const run = async (): Promise<T> => {
      await group?.start(name).catch(() => undefined);
      return body();
    };
    try {
      const value = await raceAbort(
        withTimeout(run(), timeoutMs, () => new StepTimeoutError(name, timeoutMs)),
        state.signal,
      );
      this.#record({ name, outcome: 'success', durationMs: performance.now() - start });
      return value;
    } catch (error) {
      const failure = state.failure ?? { step: name, ...this.#options.classify(error, start) };
      const { step: _step, ...info } = failure;
      this.#record({
        name,
        outcome: stepOutcome(info),
        durationMs: performance.now() - start,
        failure: info,
      });
      state.end(failure, error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      // Not awaited: protocol calls keep their order, and a closed context just rejects.
      void group?.end().catch(() => undefined);
      this.#running = undefined;
      this.#lastEnd = performance.now();
      this.#options.setActionTimeout?.(this.#options.defaultTimeoutMs);
    }
  };

  #record(result: StepResult): void {
    this.#results.push(result);
    this.#options.onEnd?.(result);
  }

  /** Validates a step call; a violation ends the attempt as a `script` failure. */
  #check(name: unknown, options: StepOptions | undefined): number {
    const violation = (message: string): never => {
      const error = new StepContractError(message);
      const step = this.#running?.name ?? PSEUDO_STEPS.journey;
      this.#options.state.end({ step, class: 'script', message }, error);
      throw error;
    };
    if (typeof name !== 'string' || name.trim() === '') violation('step name must be a non-empty string');
    const label = name as string;
    if (this.#running)
      violation(`step "${label}" called inside step "${this.#running.name}": steps cannot nest`);
    const declared = this.#options.declared;
    if (declared && !declared.includes(label))
      violation(`step "${label}" is not in the journey's declared steps`);
    if (!this.#names.has(label) && this.#names.size >= MAX_STEP_NAMES) {
      violation(
        `step "${label}" is the ${MAX_STEP_NAMES + 1}st distinct step name; at most ${MAX_STEP_NAMES} are allowed`,
      );
    }
    this.#names.add(label);
    const timeoutMs = options?.timeoutMs ?? this.#options.defaultTimeoutMs;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      violation(`step "${label}": timeoutMs must be a positive number of milliseconds`);
    }
    return timeoutMs;
  }
}

function stepOutcome(info: FailureInfo): StepResult['outcome'] {
  return attemptOutcomeOf(info.class) === 'error' ? 'error' : 'failure';
}
