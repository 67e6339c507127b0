/**
 * One journey × target as the pages show it: its state (from the newest runs), its window
 * stats, its schedule as the scheduler reports it, its links, and the order rows come in.
 */
import type { Outcome } from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';
import { nextCronRun } from '../scheduler/cron.js';
import {
  allWindows,
  type ScheduleInfo,
  type SeriesLinks,
  type StatusSources,
  type WindowStats,
} from './history.js';

/** What a journey × target is doing now, from its newest runs. */
export type SeriesStateKind = 'passing' | 'failing' | 'flaky' | 'degraded' | 'prober_error' | 'no_data';

export interface SeriesState {
  readonly kind: SeriesStateKind;
  /** Start of the current streak: the oldest run of the unbroken run of this state (ISO). */
  readonly since?: string;
  /** Runs in the current streak. */
  readonly streak: number;
  /** The newest run, when there is one. */
  readonly latest?: RunResult;
}

/** Human labels for each state. */
export const STATE_LABELS: Readonly<Record<SeriesStateKind, string>> = {
  passing: 'passing',
  failing: 'failing',
  flaky: 'flaky',
  degraded: 'degraded',
  prober_error: 'prober error',
  no_data: 'no data',
};

const KIND_OF: Readonly<Record<Outcome, SeriesStateKind>> = {
  success: 'passing',
  failure: 'failing',
  flaky: 'flaky',
  degraded: 'degraded',
  error: 'prober_error',
};

/**
 * The state of a series from its runs, newest first. A failure streak looks through prober
 * errors (the prober failing says nothing about the target), so "failing since" is when the
 * target started failing even if the prober broke in between.
 */
export function deriveState(newestFirst: readonly RunResult[]): SeriesState {
  const latest = newestFirst[0];
  if (latest === undefined) return { kind: 'no_data', streak: 0 };
  const kind = KIND_OF[latest.outcome];
  let since = latest.startedAt;
  let streak = 0;
  for (const run of newestFirst) {
    const runKind = KIND_OF[run.outcome];
    if (runKind === kind) {
      since = run.startedAt;
      streak += 1;
      continue;
    }
    if (kind === 'failing' && runKind === 'prober_error') continue;
    break;
  }
  return { kind, since, streak, latest };
}

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
  readonly links: SeriesLinks;
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
    links: sources.links?.(journey, target) ?? {},
  };
}

/** Rows needing attention first: failing, then flaky, degraded, prober errors, passing, no data. */
const TRIAGE_RANK: Readonly<Record<SeriesStateKind, number>> = {
  failing: 0,
  flaky: 1,
  degraded: 2,
  prober_error: 3,
  passing: 4,
  no_data: 5,
};

/** The overview's order: by state (failing first), then journey, then target. */
export function triageOrder(all: readonly SeriesSummary[]): SeriesSummary[] {
  return [...all].sort(
    (a, b) =>
      TRIAGE_RANK[a.state.kind] - TRIAGE_RANK[b.state.kind] ||
      a.journey.localeCompare(b.journey) ||
      a.target.localeCompare(b.target),
  );
}

/** What the pages need of a scheduler entry (`ScheduleEntry` of src/scheduler satisfies it). */
export interface ScheduledSeries {
  readonly id: string;
  readonly journey: { readonly name: string };
  readonly target: string;
  readonly cron: string;
  readonly timezone: string | undefined;
}

/** The scheduler's live state: its armed cron's next ticks and the runs it has in progress. */
export interface LiveSchedules {
  /** When schedule `id` ticks next (`CronDriver.nextRun`); undefined before cron is armed. */
  nextRun?(id: string): Date | undefined;
  /** Whether schedule `id` has a run waiting or going (`Scheduler.isBusy`). */
  isBusy?(id: string): boolean;
}

/**
 * Adapts the scheduler's entries to what the pages show: the cron expression, its next tick
 * from the armed cron (from the expression itself until cron is armed) and whether a run is
 * in progress.
 */
export function scheduleInfos(
  entries: readonly ScheduledSeries[],
  live: LiveSchedules = {},
): () => ScheduleInfo[] {
  return () =>
    entries.map((e) => {
      const nextRunAt = live.nextRun?.(e.id) ?? nextCronRun(e.cron, e.timezone);
      const schedule = e.timezone === undefined ? e.cron : `${e.cron} (${e.timezone})`;
      return {
        journey: e.journey.name,
        target: e.target,
        schedule,
        ...(nextRunAt ? { nextRunAt } : {}),
        ...(live.isBusy?.(e.id) === true ? { running: true } : {}),
      };
    });
}

/** One entry of config `statusLinks`: URL templates with `{journey}` and `{target}`. */
export interface StatusLinkRule extends SeriesLinks {
  /** The journey it applies to; every journey when absent. */
  readonly journey?: string;
  /** The target it applies to; every target when absent. */
  readonly target?: string;
}

const fill = (template: string, journey: string, target: string): string =>
  template
    .replaceAll('{journey}', encodeURIComponent(journey))
    .replaceAll('{target}', encodeURIComponent(target));

/**
 * The links of each journey × target from the `statusLinks` rules: every rule that matches
 * applies in order, so a later, narrower rule overrides a link of an earlier, wider one.
 */
export function linksFor(rules: readonly StatusLinkRule[]): (journey: string, target: string) => SeriesLinks {
  return (journey, target) => {
    const links: { dashboard?: string; runbook?: string; alert?: string } = {};
    for (const rule of rules) {
      if (rule.journey !== undefined && rule.journey !== journey) continue;
      if (rule.target !== undefined && rule.target !== target) continue;
      for (const key of ['dashboard', 'runbook', 'alert'] as const) {
        const template = rule[key];
        if (template !== undefined) links[key] = fill(template, journey, target);
      }
    }
    return links;
  };
}
