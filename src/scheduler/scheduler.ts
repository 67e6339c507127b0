import { randomUUID } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import { AccountLocks } from './account-locks.js';
import { TickGate } from './cron.js';
import {
  systemClock,
  type Clock,
  type Execute,
  type ScheduleEntry,
  type SchedulerEvents,
  type SkipReason,
} from './types.js';

/** How long a run aborted at shutdown may take to wind up before the scheduler stops waiting. */
const ABORT_SETTLE_MS = 15_000;
/** Cap on how long a tick waits for a busy account (default: half the schedule's interval). */
const MAX_ACCOUNT_WAIT_MS = 5 * 60_000;

export interface SchedulerOptions {
  readonly entries: readonly ScheduleEntry[];
  /** Browser contexts at once, across all schedules. */
  readonly concurrency: number;
  readonly execute: Execute;
  readonly events?: SchedulerEvents;
  readonly clock?: Clock;
  /** In [0, 1): the jitter source. */
  readonly random?: () => number;
  /** How long a tick may wait for its account before it is skipped as `account_busy`. */
  readonly accountWaitMs?: (entry: ScheduleEntry) => number;
  readonly newRunId?: () => string;
  readonly log?: Logger;
  /**
   * Whether a run of `entry` may send its declared card forms now (the account's
   * card-submission budget); false: the run is skipped as `payment_budget`. Asked once the
   * account is locked, so two runs of one account cannot both spend the last submission.
   */
  readonly cardBudget?: (entry: ScheduleEntry) => boolean;
}

/** How shutdown went: runs that finished within the grace period, and runs aborted after it. */
export interface DrainReport {
  readonly finished: number;
  readonly aborted: number;
  /** Aborted runs that had still not settled when the scheduler stopped waiting. */
  readonly abandoned: number;
}

interface InFlight {
  readonly entry: ScheduleEntry;
  /** Aborts waits (jitter, account, concurrency) when shutdown begins. */
  readonly pending: AbortController;
  /** Aborts the run itself once the grace period is over. */
  readonly run: AbortController;
  running: boolean;
  settled: boolean;
  done: Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!signal.aborted);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for `promise` at most `ms`; the timer never outlives the wait. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  const stop = new AbortController();
  try {
    await Promise.race([promise, sleep(ms, stop.signal)]);
  } finally {
    stop.abort();
  }
}

/**
 * Decides when each scheduled journey runs and whether a tick is skipped, independent of
 * what produces the ticks (node-cron in serve, the test's hand in unit tests): at most one
 * run per schedule (a tick meanwhile is an `overlap` skip), one run per shared account
 * (wait, then `account_busy`), at most `concurrency` runs at once, jitter before each
 * run, and after `stop()` every tick and every run not yet started is a `shutdown` skip.
 */
export class Scheduler {
  readonly #entries: ReadonlyMap<string, ScheduleEntry>;
  readonly #gates = new Map<string, TickGate>();
  readonly #inFlight = new Map<string, InFlight>();
  readonly #locks = new AccountLocks();
  readonly #limit: LimitFunction;
  readonly #options: SchedulerOptions;
  readonly #clock: Clock;
  #stopping = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#limit = pLimit({ concurrency: options.concurrency, rejectOnClear: true });
    this.#entries = new Map(options.entries.map((e) => [e.id, e]));
    for (const entry of options.entries) this.#gates.set(entry.id, new TickGate(entry.minIntervalMs));
  }

  get entries(): readonly ScheduleEntry[] {
    return [...this.#entries.values()];
  }

  /** Runs started and not finished (waiting ones excluded). */
  get running(): number {
    return [...this.#inFlight.values()].filter((f) => f.running).length;
  }

  /** Whether schedule `id` has a run waiting to start or going (the status page's "running"). */
  isBusy(id: string): boolean {
    return this.#inFlight.has(id);
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  #entry(id: string): ScheduleEntry {
    const entry = this.#entries.get(id);
    if (entry === undefined) throw new RangeError(`no schedule "${id}"`);
    return entry;
  }

  #skip(entry: ScheduleEntry, reason: SkipReason): void {
    this.#options.log?.info({ journey: entry.journey.name, target: entry.target, reason }, 'run skipped');
    this.#options.events?.skipped?.(entry, reason);
  }

  /** A cron tick for schedule `id`, scheduled for `slotMs` (wall clock). */
  tick(id: string, slotMs: number): void {
    const entry = this.#entry(id);
    if (this.#stopping) return this.#skip(entry, 'shutdown');
    const verdict = this.#gates.get(id)?.admit(slotMs, this.#clock.now(), this.#clock.monotonic()) ?? 'run';
    if (verdict !== 'run') {
      const lateMs = Math.max(0, this.#clock.now() - slotMs);
      this.#options.log?.warn(
        { journey: entry.journey.name, target: entry.target, reason: verdict, lateMs },
        'tick dropped',
      );
      this.#options.events?.dropped?.(entry, { reason: verdict, lateMs });
      return;
    }
    this.#start(entry, slotMs);
  }

  /** Runs schedule `id` now, outside its cron ticks (run on start); still never overlaps. */
  runNow(id: string): void {
    const entry = this.#entry(id);
    if (this.#stopping) return this.#skip(entry, 'shutdown');
    this.#start(entry, this.#clock.now());
  }

  #start(entry: ScheduleEntry, slotMs: number): void {
    if (this.#inFlight.has(entry.id)) return this.#skip(entry, 'overlap');
    const flight: InFlight = {
      entry,
      pending: new AbortController(),
      run: new AbortController(),
      running: false,
      settled: false,
      done: Promise.resolve(),
    };
    this.#inFlight.set(entry.id, flight);
    flight.done = this.#lifecycle(flight, slotMs)
      .catch((error: unknown) => {
        this.#options.log?.error(
          { err: error, journey: entry.journey.name, target: entry.target },
          'scheduled run failed',
        );
      })
      .finally(() => {
        flight.settled = true;
        this.#inFlight.delete(entry.id);
      });
  }

  async #lifecycle(flight: InFlight, slotMs: number): Promise<void> {
    const { entry, pending } = flight;
    const jitterMs = Math.floor((this.#options.random ?? Math.random)() * entry.jitterMs);
    if (!(await sleep(jitterMs, pending.signal))) return this.#skip(entry, 'shutdown');
    let release: (() => void) | undefined;
    if (entry.accountKey !== undefined) {
      const waitMs =
        this.#options.accountWaitMs?.(entry) ?? Math.min(entry.minIntervalMs / 2, MAX_ACCOUNT_WAIT_MS);
      const lock = await this.#locks.acquire(entry.accountKey, waitMs, pending.signal);
      if (lock.kind !== 'acquired')
        return this.#skip(entry, lock.kind === 'busy' ? 'account_busy' : 'shutdown');
      release = lock.release;
    }
    if (entry.journey.cardSubmissions > 0 && this.#options.cardBudget?.(entry) === false) {
      release?.();
      return this.#skip(entry, 'payment_budget');
    }
    try {
      await this.#limit(() => this.#run(flight, slotMs + jitterMs));
    } catch (error) {
      if (pending.signal.aborted) return this.#skip(entry, 'shutdown'); // cleared from the queue
      throw error;
    } finally {
      release?.();
    }
  }

  async #run(flight: InFlight, dueMs: number): Promise<void> {
    const { entry } = flight;
    if (this.#stopping) return this.#skip(entry, 'shutdown');
    flight.running = true;
    const runId = (this.#options.newRunId ?? randomUUID)();
    const delaySeconds = Math.max(0, this.#clock.now() - dueMs) / 1000;
    this.#options.events?.started?.(entry, { runId, delaySeconds });
    await this.#options.execute(entry, { runId, signal: flight.run.signal });
  }

  /** No new runs from now on: ticks, and runs waiting to start, become `shutdown` skips. */
  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const flight of this.#inFlight.values()) if (!flight.running) flight.pending.abort();
    this.#limit.clearQueue();
  }

  /**
   * Stops, lets running runs finish for up to `graceMs`, then aborts the rest and waits
   * (bounded) for them to wind up.
   */
  async drain(graceMs: number): Promise<DrainReport> {
    this.stop();
    const flights = [...this.#inFlight.values()];
    const running = flights.filter((f) => f.running);
    await within(Promise.all(flights.map((f) => f.done)), graceMs);
    const late = running.filter((f) => !f.settled);
    for (const f of late) f.run.abort(new Error('aborted by shutdown'));
    if (late.length > 0) await within(Promise.all(late.map((f) => f.done)), ABORT_SETTLE_MS);
    const abandoned = late.filter((f) => !f.settled).length;
    return { finished: running.length - late.length, aborted: late.length, abandoned };
  }
}
