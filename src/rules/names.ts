/**
 * Names of the recording rules (level:metric:operations, as Prometheus recommends). The
 * dashboard and the alerts use these functions, so a rename cannot leave one behind.
 */
export const recorded = {
  runs: (w: string) => `journey_target:synthetic_runs:increase${w}`,
  failedRuns: (w: string) => `journey_target:synthetic_failed_runs:increase${w}`,
  errorRatio: (w: string) => `journey_target:synthetic_error_ratio:ratio_rate${w}`,
  availability: (w: string) => `journey_target:synthetic_availability:ratio_rate${w}`,
  targetAvailability: (w: string) => `target:synthetic_availability:ratio_rate${w}`,
  budgetRemaining: (w: string) => `journey_target:synthetic_error_budget_remaining:ratio${w}`,
  stepFailureRatio: (w: string) => `journey_target_step:synthetic_step_failure_ratio:ratio_rate${w}`,
  failuresByClass: (w: string) => `journey_target_step_class:synthetic_failures:increase${w}`,
  paymentFailures: (w: string) => `journey_target:synthetic_payment_failures:increase${w}`,
  paymentRatio: (w: string) => `journey_target:synthetic_payment_failure_ratio:ratio_rate${w}`,
  duration: (q: Quantile, w: string) => `journey_target:synthetic_journey_duration_seconds:${q}_rate${w}`,
  stepDuration: (q: Quantile, w: string) =>
    `journey_target_step:synthetic_journey_step_duration_seconds:${q}_rate${w}`,
} as const;

export const QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;
export type Quantile = keyof typeof QUANTILES;

/** Outcomes that count as good for availability (DESIGN.md: flaky and degraded passed). */
export const GOOD_OUTCOMES = 'success|flaky|degraded';
/** Failure classes that make a run `error`: the prober broke, not the portal. */
export const PROBER_CLASSES = 'script|browser';
/** Failure classes of the payment step. */
export const PAYMENT_CLASSES = 'payment_declined|payment_form';

/** Alert names; each has docs/runbooks/<name>.md. */
export const ALERTS = {
  fastBurn: 'JourneyErrorBudgetFastBurn',
  slowBurn: 'JourneyErrorBudgetSlowBurn',
  consecutive: 'JourneyConsecutiveFailures',
  location: 'JourneyFailingFromOneLocation',
  payment: 'JourneyPaymentFailures',
  latency: 'JourneyLatencyBudgetExceeded',
  notRunning: 'JourneyNotRunning',
  proberDown: 'JourneyProberDown',
  proberAbsent: 'JourneyProberAbsent',
  proberErrors: 'JourneyProberErrors',
  browserRestarts: 'JourneyProberBrowserRestarts',
} as const;
