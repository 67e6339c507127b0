import { duration, seconds } from './duration.js';
import type { SloParams } from './params.js';

/** The test-only variant runs this many times faster: an hour of alerting in a minute. */
export const TEST_SPEEDUP = 60;

/**
 * The fast, test-only variant: every duration divided by {@link TEST_SPEEDUP} (5 min runs
 * become 5 s runs, the 1 h window 1 min), every count and ratio unchanged, so the alerts
 * behave the same on a time scale an end-to-end test can wait for. It expects a 1 s
 * scrape and evaluation interval and journeys scheduled every 5 s.
 */
export function testVariant(params: SloParams, speedup = TEST_SPEEDUP): SloParams {
  const fast = (d: string): string => {
    const scaled = seconds(d) / speedup;
    if (!Number.isInteger(scaled)) throw new Error(`${d} / ${speedup} is not a whole number of seconds`);
    return duration(scaled);
  };
  return {
    ...params,
    period: fast(params.period),
    scrapeInterval: fast(params.scrapeInterval),
    evaluationInterval: fast(params.evaluationInterval),
    periodEvaluationInterval: fast(params.periodEvaluationInterval),
    runInterval: fast(params.runInterval),
    burnRate: params.burnRate.map((t) => ({
      ...t,
      long: fast(t.long),
      short: fast(t.short),
      for: fast(t.for),
    })),
    payment: { ...params.payment, window: fast(params.payment.window), for: fast(params.payment.for) },
    latency: { ...params.latency, window: fast(params.latency.window), for: fast(params.latency.for) },
    silentLookback: fast(params.silentLookback),
    proberDown: { for: fast(params.proberDown.for), absentFor: fast(params.proberDown.absentFor) },
    proberErrors: {
      ...params.proberErrors,
      window: fast(params.proberErrors.window),
      for: fast(params.proberErrors.for),
    },
    browserRestarts: { ...params.browserRestarts, window: fast(params.browserRestarts.window) },
    journeys: Object.fromEntries(
      Object.entries(params.journeys).map(([name, o]) => [
        name,
        // Latency budgets are real seconds of a real browser: they do not speed up.
        { ...o, ...(o.interval === undefined ? {} : { interval: fast(o.interval) }) },
      ]),
    ),
  };
}
