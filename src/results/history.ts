import type { RunResult } from '../journey/types.js';

/** A query of recent runs: newest first, at most `limit`. */
export interface RecentQuery {
  readonly journey?: string;
  readonly target?: string;
  readonly limit: number;
}

/**
 * The newest runs in memory, bounded (`results.retainRuns`): what the status page and
 * `/api/runs` read. Filled from the results log on start, then by every finished run.
 */
export class RunHistory {
  readonly #capacity: number;
  /** Ring buffer: `#runs[(#start + i) % capacity]` is the i-th oldest. */
  readonly #runs: RunResult[] = [];
  #start = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('history capacity must be a positive integer');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#runs.length;
  }

  add(result: RunResult): void {
    if (this.#runs.length < this.#capacity) {
      this.#runs.push(result);
      return;
    }
    this.#runs[this.#start] = result;
    this.#start = (this.#start + 1) % this.#capacity;
  }

  /** Oldest first. */
  all(): RunResult[] {
    return [...this.#runs.slice(this.#start), ...this.#runs.slice(0, this.#start)];
  }

  /** Newest first, filtered by journey and target. */
  recent(query: RecentQuery): RunResult[] {
    const out: RunResult[] = [];
    const limit = Math.max(0, Math.floor(query.limit));
    for (let i = this.#runs.length - 1; i >= 0 && out.length < limit; i--) {
      const run = this.#runs[(this.#start + i) % this.#runs.length];
      if (run === undefined) continue;
      if (query.journey !== undefined && run.journey !== query.journey) continue;
      if (query.target !== undefined && run.target !== query.target) continue;
      out.push(run);
    }
    return out;
  }

  /** The newest run of each journey × target, ordered by that run (oldest first). */
  latestPerSeries(): RunResult[] {
    const latest = new Map<string, RunResult>();
    for (const run of this.all()) {
      const key = `${run.journey}\u0000${run.target}`;
      latest.delete(key); // re-inserted: the map stays ordered by each series' newest run
      latest.set(key, run);
    }
    return [...latest.values()];
  }
}
