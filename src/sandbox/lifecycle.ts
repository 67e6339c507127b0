/** The sandbox was closed while a request was waiting on an injected delay or hang. */
export class SandboxClosedError extends Error {
  override readonly name = 'SandboxClosedError';
}

/** Injected delays and hangs, all released at once by `close()`. */
export class Lifecycle {
  readonly #controller = new AbortController();

  get closed(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Waits `ms`, or rejects with SandboxClosedError when the sandbox closes first. */
  delay(ms: number): Promise<void> {
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.reject(new SandboxClosedError('sandbox closed'));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new SandboxClosedError('sandbox closed'));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Never resolves on its own: a hanging request waits here until close(). */
  hang(): Promise<void> {
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  close(): void {
    this.#controller.abort();
  }
}
