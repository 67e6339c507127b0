import { isPassed } from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';

/** The windows the status page summarises. */
export const WINDOWS = [
  { name: '1h', ms: 60 * 60 * 1000 },
  { name: '24h', ms: 24 * 60 * 60 * 1000 },
  { name: '7d', ms: 7 * 24 * 60 * 60 * 1000 },
] as const;
export type WindowName = (typeof WINDOWS)[number]['name'];

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
