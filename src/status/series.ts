import type { RunResult } from '../journey/types.js';
import type { ScheduleInfo, StatusSources } from './sources.js';
import { deriveState, type SeriesState } from './state.js';
import { allWindows, type WindowStats } from './stats.js';

/** Runs read per series for its stats: enough for 7 days at one run a minute. */
export const MAX_SERIES_RUNS = 10_080;
/** Runs drawn in a sparkline. */
export const SPARK_RUNS = 40;

/** Everything a status-page row shows about one journey × target. */
export interface SeriesSummary {
  readonly journey: string;
  readonly target: string;
  readonly state: SeriesState;
  readonly windows: readonly WindowStats[];
  /** Newest first, at most SPARK_RUNS. */
  readonly recent: readonly RunResult[];
  readonly schedule?: ScheduleInfo;
}

const key = (journey: string, target: string): string => `${journey}\u0000${target}`;

/** Every journey × target that has runs or a schedule, sorted by journey then target. */
export function seriesKeys(sources: StatusSources): { journey: string; target: string }[] {
  const keys = new Map<string, { journey: string; target: string }>();
  for (const run of sources.runs.latestPerSeries()) keys.set(key(run.journey, run.target), run);
  for (const s of sources.schedules?.() ?? []) keys.set(key(s.journey, s.target), s);
  return [...keys.values()]
    .map(({ journey, target }) => ({ journey, target }))
    .sort((a, b) => a.journey.localeCompare(b.journey) || a.target.localeCompare(b.target));
}

/** The summary of one series at time `now`. */
export function summarise(
  sources: StatusSources,
  journey: string,
  target: string,
  now: number,
): SeriesSummary {
  const runs = sources.runs.recent({ journey, target, limit: MAX_SERIES_RUNS });
  const schedule = sources.schedules?.().find((s) => s.journey === journey && s.target === target);
  return {
    journey,
    target,
    state: deriveState(runs),
    windows: allWindows(runs, now),
    recent: runs.slice(0, SPARK_RUNS),
    ...(schedule ? { schedule } : {}),
  };
}
