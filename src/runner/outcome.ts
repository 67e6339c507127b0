import { PROBER_CLASSES, type AttemptOutcome, type FailureClass, type Outcome } from '../journey/outcomes.js';

/** An attempt's verdict: what outcome derivation needs of it. */
export interface AttemptVerdict {
  readonly outcome: AttemptOutcome;
  /** Time the journey itself took (account, steps and the code between them). */
  readonly journeyMs: number;
}

/** `script` and `browser` say the prober failed: the attempt is an `error`. */
export function attemptOutcomeOf(failureClass: FailureClass | undefined): AttemptOutcome {
  if (failureClass === undefined) return 'success';
  return PROBER_CLASSES.has(failureClass) ? 'error' : 'failure';
}

/**
 * The run's outcome from its attempts (DESIGN.md "Outcomes"): the last attempt decides;
 * a pass after a failed attempt is `flaky`, which wins over `degraded` (a pass slower than
 * the latency budget); a run aborted by shutdown is an `error` whatever its attempts say.
 */
export function deriveOutcome(
  attempts: readonly AttemptVerdict[],
  options: { readonly latencyBudgetMs?: number; readonly aborted?: boolean } = {},
): Outcome {
  const last = attempts.at(-1);
  if (options.aborted || last === undefined) return 'error';
  if (last.outcome !== 'success') return last.outcome;
  if (attempts.some((a) => a.outcome !== 'success')) return 'flaky';
  if (options.latencyBudgetMs !== undefined && last.journeyMs > options.latencyBudgetMs) return 'degraded';
  return 'success';
}
