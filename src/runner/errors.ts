/**
 * The runner's own reasons for ending an attempt. Each is a named class so that
 * classification (classify.ts) maps it to a failure class without parsing messages.
 */

/** A step ran longer than its timeout. */
export class StepTimeoutError extends Error {
  override readonly name = 'StepTimeoutError';
  constructor(
    readonly step: string,
    readonly timeoutMs: number,
  ) {
    super(`step "${step}" timed out after ${timeoutMs} ms`);
  }
}

/** The whole attempt ran longer than the journey's `timeoutMs`. */
export class RunTimeoutError extends Error {
  override readonly name = 'RunTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`run timed out after ${timeoutMs} ms (journey timeoutMs)`);
  }
}

/** The prober is shutting down (RunOptions.signal aborted). */
export class ShutdownAbortError extends Error {
  override readonly name = 'ShutdownAbortError';
  constructor() {
    super('run aborted by shutdown');
  }
}

/** The browser or the attempt's context went away without the runner closing it. */
export class BrowserDisconnectedError extends Error {
  override readonly name = 'BrowserDisconnectedError';
  constructor(detail = 'browser context closed unexpectedly (browser crashed or was killed)') {
    super(detail);
  }
}

/** The journey script broke a rule of the step API (nesting, undeclared or too many names). */
export class StepContractError extends Error {
  override readonly name = 'StepContractError';
}
