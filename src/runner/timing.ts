/** Bounding promises in time without sleeping: timers that are always cleared. */

/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as `signal` aborts,
 * whichever comes first. The losing promise's rejection is swallowed: user code that
 * ignores the abort cannot hold the runner.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- pass on exactly what user code threw
        reject(error);
      },
    );
  });
}

/** Rejects with `makeError()` after `ms` unless `promise` settles first; the timer is cleared. */
export function withTimeout<T>(promise: Promise<T>, ms: number, makeError: () => Error): Promise<T> {
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(makeError()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- pass on exactly what user code threw
        reject(error);
      },
    );
  });
}

/** Runs `fn`, bounded by `ms`; resolves `undefined` on error or timeout (best effort work). */
export async function bestEffort<T>(fn: () => Promise<T>, ms: number): Promise<T | undefined> {
  try {
    return await withTimeout(Promise.resolve().then(fn), ms, () => new Error(`timed out after ${ms} ms`));
  } catch {
    return undefined;
  }
}
