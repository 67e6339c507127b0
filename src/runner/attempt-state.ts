import type { FailureInfo } from '../journey/types.js';

/** Where and why an attempt failed. */
export interface AttemptFailure extends FailureInfo {
  readonly step: string;
}

/**
 * The fate of one attempt. The first failure ends it: it aborts `signal`, which every
 * pending step and the journey itself are raced against, so nothing the journey does
 * after that (swallowing an error, ignoring the abort) changes the verdict.
 */
export class AttemptState {
  readonly #controller = new AbortController();
  #failure: AttemptFailure | undefined;

  /** Aborted with the error that ended the attempt. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get failure(): AttemptFailure | undefined {
    return this.#failure;
  }

  get ended(): boolean {
    return this.#failure !== undefined;
  }

  /** Ends the attempt with `failure` unless it already ended; `cause` becomes the abort reason. */
  end(failure: AttemptFailure, cause: Error): void {
    if (this.#failure) return;
    this.#failure = failure;
    this.#controller.abort(cause);
  }
}
