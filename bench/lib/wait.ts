import { setTimeout as delay } from 'node:timers/promises';

/** A condition the benchmark waited for did not come in time. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/** Polls `condition` every `everyMs` (bounded by `timeoutMs`): benchmarks wait on outcomes, not on sleeps. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new WaitTimeoutError(`condition not met within ${timeoutMs} ms`);
    await delay(everyMs);
  }
}
