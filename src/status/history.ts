/**
 * What the pages read (the run history, the schedules, the clock) and the numbers they
 * compute from it: success ratio and p95 per window.
 */
import type { Shard } from '../scheduler/shard.js';
import { isPassed, type Outcome } from '../journey/outcomes.js';
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
  /** When the scheduler's cron ticks next (each run's jitter comes on top). */
  readonly nextRunAt?: Date;
  /** The scheduler has a run of it waiting or going. */
  readonly running?: boolean;
}

/** Where an on-call engineer goes next from a journey × target (config `statusLinks`). */
export interface SeriesLinks {
  readonly dashboard?: string;
  readonly runbook?: string;
  readonly alert?: string;
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
  /** The dashboard, runbook and alert links of a journey × target. */
  readonly links?: (journey: string, target: string) => SeriesLinks;
  /** Which replica this is (`PROBER_SHARD`), absent when serve is not scaled out. */
  readonly shard?: Shard;
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

/** The windows the status page summarises. */
export const WINDOWS = [
  { name: '1h', ms: 60 * 60 * 1000 },
  { name: '24h', ms: 24 * 60 * 60 * 1000 },
  { name: '7d', ms: 7 * 24 * 60 * 60 * 1000 },
] as const;
export type WindowName = (typeof WINDOWS)[number]['name'];

/**
 * Below this many counted runs a window's success ratio says more about chance than about
 * the portal: the pages show it with "not enough runs" (one failure in 4 runs is "75 %").
 */
export const MIN_RUNS_FOR_RATIO = 10;

/** One journey × target over one window. */
export interface WindowStats {
  readonly window: WindowName;
  /** Every run that started in the window. */
  readonly runs: number;
  /** Runs that count for the SLI: all but prober errors (DESIGN.md "Error ratio"). */
  readonly counted: number;
  readonly failures: number;
  readonly errors: number;
  /** (counted − failures) / counted; undefined when nothing counted. */
  readonly successRatio?: number;
  /** 95th percentile (nearest rank) of the duration of passing runs, in ms. */
  readonly p95Ms?: number;
}

/** Nearest-rank percentile of `values` (0 < q ≤ 1); undefined when empty. */
export function percentile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

interface Timed {
  readonly at: number;
  readonly run: RunResult;
}

function statsOf(timed: readonly Timed[], window: WindowName, now: number): WindowStats {
  const span = WINDOWS.find((w) => w.name === window)?.ms ?? 0;
  const from = now - span;
  let total = 0;
  let failures = 0;
  let errors = 0;
  const passedDurations: number[] = [];
  for (const { at, run } of timed) {
    if (!(at > from && at <= now)) continue;
    total += 1;
    if (run.outcome === 'failure') failures += 1;
    else if (run.outcome === 'error') errors += 1;
    if (isPassed(run.outcome)) passedDurations.push(run.durationMs);
  }
  const counted = total - errors;
  const p95Ms = percentile(passedDurations, 0.95);
  return {
    window,
    runs: total,
    counted,
    failures,
    errors,
    ...(counted > 0 ? { successRatio: (counted - failures) / counted } : {}),
    ...(p95Ms === undefined ? {} : { p95Ms }),
  };
}

const timedRuns = (runs: readonly RunResult[]): Timed[] =>
  runs.map((run) => ({ at: Date.parse(run.startedAt), run }));

/** Stats of `runs` (any order) over the window ending at `now` (ms since epoch). */
export function windowStats(runs: readonly RunResult[], window: WindowName, now: number): WindowStats {
  return statsOf(timedRuns(runs), window, now);
}

/** Stats over every window of WINDOWS, in order (each start time parsed once). */
export function allWindows(runs: readonly RunResult[], now: number): WindowStats[] {
  const timed = timedRuns(runs);
  return WINDOWS.map((w) => statsOf(timed, w.name, now));
}
