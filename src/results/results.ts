import type { RunResult } from '../journey/types.js';
import { RunHistory, type RecentQuery } from './history.js';
import { readResults } from './read.js';
import { DEFAULT_KEEP_ROTATED, ResultsLog } from './store.js';

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
