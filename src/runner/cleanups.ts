import type { Logger } from 'pino';
import { errorText, toMessage } from './sanitize.js';
import { withTimeout } from './timing.js';

export interface Cleanup {
  readonly name: string;
  readonly fn: () => Promise<void>;
}

/**
 * Runs cleanups in reverse order of registration, each bounded by `timeoutMs`.
 * Returns how many failed; a failure is logged and never changes the run's verdict.
 */
export async function runCleanups(
  cleanups: readonly Cleanup[],
  timeoutMs: number,
  log: Logger,
  redact: (text: string) => string,
): Promise<number> {
  let failures = 0;
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await withTimeout(
        Promise.resolve().then(cleanup.fn),
        timeoutMs,
        () => new Error(`cleanup "${cleanup.name}" timed out after ${timeoutMs} ms`),
      );
    } catch (error) {
      failures++;
      log.warn({ cleanup: cleanup.name, err: toMessage(errorText(error), redact) }, 'cleanup failed');
    }
  }
  return failures;
}
