import { defineJourney } from '../../../src/journey/define.js';
import type { ScheduleEntry } from '../../../src/scheduler/types.js';

/** A schedule entry for a journey that is never run for real (the tests' execute stands in). */
export function entry(name: string, overrides: Partial<ScheduleEntry> = {}): ScheduleEntry {
  const journey = defineJourney({ name, description: `test journey ${name}`, run: () => Promise.resolve() });
  return {
    id: `${name}@sandbox`,
    journey,
    target: 'sandbox',
    cron: '*/10 * * * * *',
    timezone: undefined,
    jitterMs: 0,
    runOnStart: false,
    accountKey: undefined,
    minIntervalMs: 10_000,
    ...overrides,
  };
}

/** A run the test finishes by hand. */
export interface HeldRun {
  readonly id: string;
  readonly runId: string;
  readonly signal: AbortSignal;
  finish(): void;
}

/** An execute function whose runs stay open until the test finishes them. */
export function heldExecutor(): {
  execute: (e: ScheduleEntry, r: { runId: string; signal: AbortSignal }) => Promise<void>;
  runs: HeldRun[];
  active: () => number;
} {
  const runs: HeldRun[] = [];
  let active = 0;
  return {
    runs,
    active: () => active,
    execute: (e, r) =>
      new Promise<void>((resolve) => {
        active += 1;
        const finish = () => {
          active -= 1;
          resolve();
        };
        let done = false;
        const once = () => {
          if (!done) {
            done = true;
            finish();
          }
        };
        runs.push({ id: e.id, runId: r.runId, signal: r.signal, finish: once });
      }),
  };
}
