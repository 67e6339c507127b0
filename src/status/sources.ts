import type { Outcome } from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';

/** A query of the run history, newest first. */
export interface RunQuery {
  readonly journey?: string;
  readonly target?: string;
  readonly limit: number;
}

/** What the pages read runs from: `RunResults` (src/results) satisfies it. */
export interface RunSource {
  recent(query: RunQuery): RunResult[];
  latestPerSeries(): RunResult[];
}

/** A scheduled journey × target, as the scheduler reports it. */
export interface ScheduleInfo {
  readonly journey: string;
  readonly target: string;
  /** The cron expression (and time zone, if any), as configured. */
  readonly schedule: string;
  readonly nextRunAt?: Date;
  readonly running?: boolean;
}

/** Everything the status pages need, injected by `serve`. */
export interface StatusSources {
  readonly runs: RunSource;
  /** The armed schedules; absent when the process has no scheduler. */
  readonly schedules?: () => readonly ScheduleInfo[];
  /** Root of the artifacts tree (config `artifacts.dir`). */
  readonly artifactsDir: string;
  /** Wall clock, ms since epoch; injected for tests. */
  readonly now: () => number;
}

/** The newest `max` runs of one journey × target, newest first. */
export function seriesRuns(source: RunSource, journey: string, target: string, max: number): RunResult[] {
  return source.recent({ journey, target, limit: max });
}

/** Newest-first runs matching the query and, if given, the outcome. */
export function queryRuns(source: RunSource, query: RunQuery & { readonly outcome?: Outcome }): RunResult[] {
  if (query.outcome === undefined) return source.recent(query);
  const out: RunResult[] = [];
  for (const run of source.recent({ ...query, limit: Number.MAX_SAFE_INTEGER })) {
    if (run.outcome !== query.outcome) continue;
    out.push(run);
    if (out.length >= query.limit) break;
  }
  return out;
}

/** The run with this id, if it is still in the history. */
export function findRun(source: RunSource, runId: string): RunResult | undefined {
  return source.recent({ limit: Number.MAX_SAFE_INTEGER }).find((run) => run.runId === runId);
}
