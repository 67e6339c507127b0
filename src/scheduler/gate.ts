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
