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
