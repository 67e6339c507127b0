/** Releases a held account lock; calling it twice is harmless. */
export type Release = () => void;

/** What waiting for an account gave: the lock, or why not. */
export type AcquireResult =
  | { readonly kind: 'acquired'; readonly release: Release }
  | { readonly kind: 'busy' }
  | { readonly kind: 'cancelled' };

interface Waiter {
  grant(release: Release): void;
}

/**
 * One run at a time per test account: runs that share an account would sign each other
 * out and fight over its subscription. Waiters are served first come, first served, and
 * wait at most a bound.
 */
export class AccountLocks {
  readonly #held = new Set<string>();
  readonly #waiters = new Map<string, Waiter[]>();

  isHeld(key: string): boolean {
    return this.#held.has(key);
  }

  #releaser(key: string): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.get(key)?.shift();
      if (next === undefined) {
        this.#held.delete(key);
        this.#waiters.delete(key);
        return;
      }
      next.grant(this.#releaser(key));
    };
  }

  /** Takes the lock on `key`, waiting up to `waitMs`; `signal` cancels the wait. */
  acquire(key: string, waitMs: number, signal: AbortSignal): Promise<AcquireResult> {
    if (signal.aborted) return Promise.resolve({ kind: 'cancelled' });
    if (!this.#held.has(key)) {
      this.#held.add(key);
      return Promise.resolve({ kind: 'acquired', release: this.#releaser(key) });
    }
    return new Promise((resolve) => {
      const queue = this.#waiters.get(key) ?? [];
      this.#waiters.set(key, queue);
      const leave = (result: AcquireResult): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        resolve(result);
      };
      const waiter: Waiter = {
        grant: (release) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve({ kind: 'acquired', release });
        },
      };
      const onAbort = (): void => leave({ kind: 'cancelled' });
      const timer = setTimeout(() => leave({ kind: 'busy' }), waitMs);
      signal.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
    });
  }
}
