import { ATTEMPT_OUTCOMES, OUTCOMES } from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';
import { SKIP_REASONS, type ProberMetrics } from './catalogue.js';
import { finishedAtSeconds } from './record.js';

/** One journey probed on one target: the series that exist from the start. */
export interface SeriesKey {
  readonly journey: string;
  readonly target: string;
  /** Declared step names: the only `step` label values of the journey. */
  readonly steps?: readonly string[];
  /** The cron expression, for `synthetic_journey_info`; absent for one-shot runs. */
  readonly schedule?: string;
}

/**
 * Creates a journey × target's series at 0, so `rate()` and absence alerts work from the
 * first scrape: runs for every outcome, attempts, skips for every reason, the gauges, and
 * the info gauge with the schedule.
 */
export function seedSeries(metrics: ProberMetrics, key: SeriesKey): void {
  const jt = { journey: key.journey, target: key.target };
  if (key.steps !== undefined) metrics.stepLabels.declare(key.journey, key.steps);
  for (const outcome of OUTCOMES) metrics.runs.inc({ ...jt, outcome }, 0);
  for (const outcome of ATTEMPT_OUTCOMES) metrics.attempts.inc({ ...jt, outcome }, 0);
  for (const reason of SKIP_REASONS) metrics.skipped.inc({ ...jt, reason }, 0);
  metrics.cleanupFailures.inc(jt, 0);
  metrics.success.set(jt, 0);
  metrics.lastRun.set(jt, 0);
  metrics.lastSuccess.set(jt, 0);
  metrics.inProgress.set(jt, 0);
  if (key.schedule !== undefined) metrics.info.set({ ...jt, schedule: key.schedule }, 1);
}

/**
 * Restores the state gauges (last success, last run times) from run history after a
 * restart, so a restart does not read as "never ran" or "failing". Counters start at 0,
 * as Prometheus expects of a restarted process.
 */
export function restoreGauges(metrics: ProberMetrics, history: readonly RunResult[]): void {
  for (const result of history) {
    const jt = { journey: result.journey, target: result.target };
    const finished = finishedAtSeconds(result);
    metrics.lastRun.set(jt, finished);
    if (result.outcome === 'error') continue;
    const passed = result.outcome !== 'failure';
    metrics.success.set(jt, passed ? 1 : 0);
    if (passed) metrics.lastSuccess.set(jt, finished);
  }
}
