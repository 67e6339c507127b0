import { effectiveTiers, errorBudget } from './derive.js';
import { seconds } from './duration.js';
import {
  GOOD_OUTCOMES,
  PAYMENT_CLASSES,
  PROBER_CLASSES,
  QUANTILES,
  recorded,
  type Quantile,
} from './names.js';
import { BY_LOCATION, PER_LOCATION } from './locations.js';
import type { SloParams } from './params.js';
import type { YamlValue } from './yaml.js';

type Rule = { readonly record: string; readonly expr: string };

const RUNS = 'synthetic_journey_runs_total';
const FAILURES = 'synthetic_journey_failures_total';
const BY = BY_LOCATION;

/** Every window a rule needs a run count and error ratio for, shortest first. */
export function sliWindows(params: SloParams): string[] {
  const windows = new Set<string>();
  for (const tier of effectiveTiers(params)) windows.add(tier.long).add(tier.shortUsed);
  windows.add(params.payment.window).add(params.latency.window);
  return [...windows].sort((a, b) => seconds(a) - seconds(b));
}

/** The window of the step- and class-level breakdowns: the fastest tier's long window. */
export function recentWindow(params: SloParams): string {
  return effectiveTiers(params)[0]?.long ?? params.latency.window;
}

function sli(w: string): Rule[] {
  return [
    // The SLI's denominator: every run but prober errors (DESIGN.md "Metrics").
    { record: recorded.runs(w), expr: `${BY} (increase(${RUNS}{outcome!="error"}[${w}]))` },
    { record: recorded.failedRuns(w), expr: `${BY} (increase(${RUNS}{outcome="failure"}[${w}]))` },
    { record: recorded.errorRatio(w), expr: `${recorded.failedRuns(w)}\n/\n${recorded.runs(w)}` },
  ];
}

function breakdowns(params: SloParams): Rule[] {
  const w = recentWindow(params);
  const p = params.payment.window;
  return [
    {
      record: recorded.failuresByClass(w),
      expr: `sum by (${PER_LOCATION}, step, class) (increase(${FAILURES}[${w}]))`,
    },
    {
      record: recorded.stepFailureRatio(w),
      expr:
        `sum by (${PER_LOCATION}, step) (increase(${FAILURES}{class!~"${PROBER_CLASSES}"}[${w}]))\n` +
        `/ on (${PER_LOCATION}) group_left ()\n${recorded.runs(w)}`,
    },
    {
      record: recorded.paymentFailures(p),
      expr: `${BY} (increase(${FAILURES}{class=~"${PAYMENT_CLASSES}"}[${p}]))`,
    },
    { record: recorded.paymentRatio(p), expr: `${recorded.paymentFailures(p)}\n/\n${recorded.runs(p)}` },
  ];
}

function latency(params: SloParams): Rule[] {
  const w = params.latency.window;
  const quantiles = Object.entries(QUANTILES) as [Quantile, number][];
  return [
    // Passed runs only: a failed run's duration is how long it took to fail, not latency.
    ...quantiles.map(([name, q]) => ({
      record: recorded.duration(name, w),
      expr:
        `histogram_quantile(${q}, sum by (${PER_LOCATION}, le) ` +
        `(rate(synthetic_journey_duration_seconds_bucket{outcome=~"${GOOD_OUTCOMES}"}[${w}])))`,
    })),
    ...quantiles.map(([name, q]) => ({
      record: recorded.stepDuration(name, w),
      expr:
        `histogram_quantile(${q}, sum by (${PER_LOCATION}, step, le) ` +
        `(rate(synthetic_journey_step_duration_seconds_bucket[${w}])))`,
    })),
  ];
}

function period(params: SloParams): Rule[] {
  const w = params.period;
  return [
    ...sli(w),
    { record: recorded.availability(w), expr: `1 - ${recorded.errorRatio(w)}` },
    {
      record: recorded.budgetRemaining(w),
      expr: `1 - ${recorded.errorRatio(w)} / ${errorBudget(params)}`,
    },
    {
      record: recorded.targetAvailability(w),
      expr: `1 - sum by (location, target) (${recorded.failedRuns(w)}) / sum by (location, target) (${recorded.runs(w)})`,
    },
  ];
}

/** The recording-rule groups: SLI per window, breakdowns, latency, the SLO period. */
export function recordingGroups(params: SloParams): YamlValue[] {
  return [
    {
      name: 'journey-prober-sli',
      interval: params.evaluationInterval,
      rules: [...sliWindows(params).flatMap(sli), ...breakdowns(params)],
    },
    { name: 'journey-prober-latency', interval: params.evaluationInterval, rules: latency(params) },
    { name: 'journey-prober-slo-period', interval: params.periodEvaluationInterval, rules: period(params) },
  ];
}
