/** A group taken from the pool for one run; `release()` gives it back (idempotent). */
export interface GroupLease {
  readonly groupId: string;
  readonly release: () => void;
}

/**
 * A pool of free test groups of one account (numeric GitLab.com ids). A purchase needs an
 * existing, empty, top-level group it owns and the prober cannot create one, so each run
 * takes a group and its cleanup gives it back; the least recently used free group goes
 * first, so a group whose last cancellation is still settling rests longest.
 */
export class GroupPool {
  readonly #free: string[];

  constructor(groupIds: readonly string[]) {
    this.#free = [...new Set(groupIds)];
  }

  get free(): readonly string[] {
    return [...this.#free];
  }

  /**
   * The next free group, or undefined when every group is taken by a run. A lease not given
   * back within `maxHoldMs` (a run that never reached its cleanup) is given back then.
   */
  take(maxHoldMs?: number): GroupLease | undefined {
    const groupId = this.#free.shift();
    if (groupId === undefined) return undefined;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.#free.push(groupId);
    };
    const timer = maxHoldMs === undefined ? undefined : setTimeout(release, maxHoldMs);
    timer?.unref();
    return { groupId, release };
  }
}
