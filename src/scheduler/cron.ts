import { Cron } from 'croner';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { ScheduleEntry } from './types.js';

// Where ticks come from (one node-cron task per schedule) and which of them may start a run (the tick gate).

/** Ticks looked at to find a cron expression's shortest interval. */
const SAMPLE_TICKS = 24;

/** A cron expression read by croner, never started: for computing ticks only. */
function pausedCron(expression: string, timezone: string | undefined): Cron {
  return new Cron(expression, { paused: true, ...(timezone === undefined ? {} : { timezone }) });
}

/** The next tick of a cron expression after `from` (default now); undefined when it cannot tell. */
export function nextCronRun(expression: string, timezone: string | undefined, from?: Date): Date | undefined {
  try {
    return pausedCron(expression, timezone).nextRun(from) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The shortest gap between consecutive ticks of a cron expression (from now on). */
export function cronMinIntervalMs(expression: string, timezone: string | undefined): number {
  const ticks = pausedCron(expression, timezone)
    .nextRuns(SAMPLE_TICKS)
    .map((d) => d.getTime());
  let min = Number.POSITIVE_INFINITY;
  for (let i = 1; i < ticks.length; i++) min = Math.min(min, (ticks[i] ?? 0) - (ticks[i - 1] ?? 0));
  return Number.isFinite(min) && min > 0 ? min : 60_000;
}

/** The armed cron tasks of a scheduler. */
export interface CronDriver {
  /** When schedule `id` ticks next; undefined once stopped or for an unknown id. */
  nextRun(id: string): Date | undefined;
  /** Stops and forgets every task (no tick after it returns). */
  stop(): Promise<void>;
}

/**
 * Arms one node-cron task per schedule; each tick hands the tick's scheduled time to
 * `onTick` and returns at once, so node-cron never sees a run in progress (overlap, jitter,
 * concurrency are the scheduler's). node-cron runs a late slot only within its tolerance
 * (1 s) and reports the others as missed, logged here; the scheduler's TickGate guards
 * against bursts again.
 */
export async function armCron(
  entries: readonly ScheduleEntry[],
  onTick: (id: string, slotMs: number) => void,
  log: Logger,
): Promise<CronDriver> {
  const tasks = new Map<string, ScheduledTask>();
  for (const entry of entries) {
    const task = cron.createTask(entry.cron, (context) => onTick(entry.id, context.date.getTime()), {
      name: entry.id,
      ...(entry.timezone === undefined ? {} : { timezone: entry.timezone }),
    });
    task.on('execution:missed', (context) => {
      log.warn(
        { journey: entry.journey.name, target: entry.target, slot: context.date.toISOString() },
        'cron tick missed (event loop stalled or clock jumped)',
      );
    });
    tasks.set(entry.id, task);
  }
  for (const task of tasks.values()) await task.start();
  return {
    nextRun: (id) => tasks.get(id)?.getNextRun() ?? undefined,
    async stop() {
      for (const task of tasks.values()) await task.destroy();
      tasks.clear();
    },
  };
}

/** What to do with a cron tick. */
export type TickVerdict = 'run' | 'stale' | 'burst';

/** The most a tick may be late before it is dropped as stale, whatever the schedule. */
const MAX_TOLERANCE_MS = 60_000;
const MIN_TOLERANCE_MS = 5_000;

/**
 * Decides whether a tick may start a run, so a stalled event loop, a suspended VM or a
 * clock jump never turns into a burst of catch-up runs: a tick more than a tolerance late
 * is stale (the slot has passed; the next one will come), and a tick closer than half the
 * schedule's shortest interval to the last admitted one is a burst. Pure: times are given.
 */
export class TickGate {
  readonly #minGapMs: number;
  readonly #toleranceMs: number;
  #lastAdmitted: number | undefined;

  constructor(minIntervalMs: number) {
    this.#minGapMs = minIntervalMs / 2;
    this.#toleranceMs = Math.min(Math.max(MIN_TOLERANCE_MS, minIntervalMs / 2), MAX_TOLERANCE_MS);
  }

  /**
   * @param slotMs the wall-clock time the tick was scheduled for
   * @param nowMs the wall-clock time now
   * @param monotonicMs a monotonic time now (gaps between ticks are measured on it)
   */
  admit(slotMs: number, nowMs: number, monotonicMs: number): TickVerdict {
    if (nowMs - slotMs > this.#toleranceMs) return 'stale';
    if (this.#lastAdmitted !== undefined && monotonicMs - this.#lastAdmitted < this.#minGapMs) return 'burst';
    this.#lastAdmitted = monotonicMs;
    return 'run';
  }
}
