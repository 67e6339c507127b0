import type { Journey } from '../journey/types.js';

/** Why a scheduled tick did not become a run (DESIGN.md "Metrics", contract): the metrics read it from here. */
export const SKIP_REASONS = ['overlap', 'account_busy', 'shutdown', 'payment_budget'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** One journey probed on one target on a cron schedule. */
export interface ScheduleEntry {
  /** `seriesKey` of journey × target (`journey@target`): unique among the entries. */
  readonly id: string;
  readonly journey: Journey;
  readonly target: string;
  /** 5 fields, or 6 with seconds first. */
  readonly cron: string;
  /** IANA time zone the cron expression is read in; the process's when absent. */
  readonly timezone: string | undefined;
  /** Each tick's run starts after a random delay in [0, jitterMs). */
  readonly jitterMs: number;
  /** Also run once when the scheduler starts. */
  readonly runOnStart: boolean;
  /** Runs with the same key share a test account and never overlap; absent: fresh accounts. */
  readonly accountKey: string | undefined;
  /** The shortest gap between two ticks of the cron expression. */
  readonly minIntervalMs: number;
}

/** Wall and monotonic time, injected so tests can fake them. */
export interface Clock {
  /** Unix epoch milliseconds (cron ticks are wall-clock times). */
  now(): number;
  /** Milliseconds on a clock that never jumps (durations, gaps between ticks). */
  monotonic(): number;
}

export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };

/** Why a tick was dropped without counting as a skip: it came late, or right after another. */
export type DropReason = 'stale' | 'burst';

/** What the scheduler tells its observers (metrics, logs). Every hook is optional. */
export interface SchedulerEvents {
  skipped?(entry: ScheduleEntry, reason: SkipReason): void;
  /** A run starts; `delaySeconds` from its tick's time plus jitter to now. */
  started?(entry: ScheduleEntry, run: { readonly runId: string; readonly delaySeconds: number }): void;
  dropped?(entry: ScheduleEntry, tick: { readonly reason: DropReason; readonly lateMs: number }): void;
}

/** A run the scheduler asks for: its id and the signal that aborts it at shutdown. */
export interface RunRequest {
  readonly runId: string;
  readonly signal: AbortSignal;
}

/** Performs one run; should not reject (a rejection is logged and the run counts as done). */
export type Execute = (entry: ScheduleEntry, run: RunRequest) => Promise<void>;
