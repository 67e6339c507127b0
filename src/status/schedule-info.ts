import cron from 'node-cron';
import type { ScheduleInfo } from './sources.js';

/** What the status page needs of a scheduler entry (`ScheduleEntry` of src/scheduler satisfies it). */
export interface ScheduledSeries {
  readonly journey: { readonly name: string };
  readonly target: string;
  readonly cron: string;
  readonly timezone: string | undefined;
}

/** The next time a cron expression fires after now; undefined when it cannot tell. */
export function nextCronRun(expression: string, timezone: string | undefined): Date | undefined {
  try {
    const task = cron.createTask(expression, () => undefined, timezone === undefined ? {} : { timezone });
    try {
      return task.getNextRuns(1)[0];
    } finally {
      // The task was never started: destroying it only unregisters it.
      void Promise.resolve(task.destroy()).catch(() => undefined);
    }
  } catch {
    return undefined;
  }
}

/**
 * Adapts the scheduler's entries to what the pages show: the cron expression and its next
 * tick. The scheduler does not expose next-run times, so they are computed from the
 * expression (each run's jitter comes on top).
 */
export function scheduleInfos(entries: readonly ScheduledSeries[]): () => ScheduleInfo[] {
  return () =>
    entries.map((e) => {
      const nextRunAt = nextCronRun(e.cron, e.timezone);
      const schedule = e.timezone === undefined ? e.cron : `${e.cron} (${e.timezone})`;
      return { journey: e.journey.name, target: e.target, schedule, ...(nextRunAt ? { nextRunAt } : {}) };
    });
}
