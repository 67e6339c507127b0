/** The outcome of one run of one journey on one target (DESIGN.md "Outcomes", contract). */
export const OUTCOMES = ['success', 'flaky', 'degraded', 'failure', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The outcome of one attempt within a run: retries make several attempts. */
export const ATTEMPT_OUTCOMES = ['success', 'failure', 'error'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** The outcome of one step within an attempt. `skipped`: declared but not reached. */
export const STEP_OUTCOMES = ['success', 'failure', 'error', 'skipped'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/** Why a run failed: a bounded set, used as a metric label (contract). */
export const FAILURE_CLASSES = [
  'auth',
  'navigation',
  'http_error',
  'timeout',
  'assertion',
  'payment_declined',
  'payment_form',
  'precondition',
  'page_crash',
  'script',
  'browser',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** Classes that say the prober failed, not the target: they make the outcome `error`. */
export const PROBER_CLASSES: ReadonlySet<FailureClass> = new Set(['script', 'browser']);

export function isFailureClass(value: unknown): value is FailureClass {
  return typeof value === 'string' && (FAILURE_CLASSES as readonly string[]).includes(value);
}

/**
 * Step names used for failures that happen outside any step of the journey:
 * getting the account, the code between steps, cleanup.
 */
export const PSEUDO_STEPS = { account: 'account', journey: 'journey', cleanup: 'cleanup' } as const;

/** Outcomes in which the customer got through the journey: they count as good (DESIGN.md "Outcomes"). */
const PASSED_OUTCOMES: ReadonlySet<Outcome> = new Set(['success', 'flaky', 'degraded']);

/** Whether a run passed: the one definition the metrics, the status page and the gauges restored at start read. */
export function isPassed(outcome: Outcome): boolean {
  return PASSED_OUTCOMES.has(outcome);
}

/** Whether a run counts for the SLI: every outcome but `error` (the prober broke, says nothing of the target). */
export function countsForSli(outcome: Outcome): boolean {
  return outcome !== 'error';
}

/** One journey probed on one target: the identity of a series of runs, of metrics and of a schedule. */
export interface JourneyTarget {
  readonly journey: string;
  readonly target: string;
}

/** The key of a journey × target in maps and ids: `journey@target` (a journey name is kebab-case, so `@` never occurs in it). */
export function seriesKey(series: JourneyTarget): string {
  return `${series.journey}@${series.target}`;
}
