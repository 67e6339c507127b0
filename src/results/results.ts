import type { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { seriesKey } from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';
import type { ResultSink } from '../sinks/sink.js';
import { DEFAULT_KEEP_ROTATED, ResultsLog, readResults } from './log.js';

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
      const key = seriesKey(run);
      latest.delete(key); // re-inserted: the map stays ordered by each series' newest run
      latest.set(key, run);
    }
    return [...latest.values()];
  }
}

export interface ResultsOptions {
  readonly path: string;
  readonly maxBytes: number;
  /** Runs kept in memory for queries. */
  readonly retainRuns: number;
  readonly keepRotated?: number;
}

/** Run history that survives restarts: the results log on disk plus the newest runs in memory. */
export interface RunResults {
  /** Lines of the log skipped on start (corrupted or truncated). */
  readonly dropped: number;
  /** Runs read back from disk on start. */
  readonly restored: number;
  /** Records a finished run in memory at once and on disk (fsync'd) when the promise resolves. */
  add(result: RunResult): Promise<void>;
  /** Newest first (the later status page and `/api/runs`). */
  recent(query: RecentQuery): RunResult[];
  /** The newest run of each journey × target. */
  latestPerSeries(): RunResult[];
  close(): Promise<void>;
}

/** Reads the log back, then appends to it. */
export async function openResults(options: ResultsOptions): Promise<RunResults> {
  const keepRotated = options.keepRotated ?? DEFAULT_KEEP_ROTATED;
  const back = await readResults(options.path, keepRotated, options.retainRuns);
  const history = new RunHistory(options.retainRuns);
  for (const result of back.results) history.add(result);
  const log = new ResultsLog({ path: options.path, maxBytes: options.maxBytes, keepRotated });
  return {
    dropped: back.dropped,
    restored: back.results.length,
    add(result) {
      history.add(result);
      return log.append(result);
    },
    recent: (query) => history.recent(query),
    latestPerSeries: () => history.latestPerSeries(),
    close: () => log.close(),
  };
}

/**
 * The results log as a result sink: each run kept in memory (what the status page and
 * `/api/runs` read) and appended to disk. A run that cannot be appended is logged and
 * counted in `writeFailures` (`journey_prober_results_write_failures_total`); the other
 * sinks still get it.
 */
export function resultsSink(
  results: RunResults,
  options: { readonly log: Logger; readonly writeFailures?: Counter },
): ResultSink {
  return {
    name: 'results log',
    onResult: (result) =>
      results.add(result).catch((error: unknown) => {
        options.writeFailures?.inc();
        options.log.error({ err: error, runId: result.runId }, 'run not saved to the results log');
      }),
  };
}
