import { MAX_STEP_NAMES } from '../journey/define.js';
import { PSEUDO_STEPS } from '../journey/outcomes.js';

/** The `step` label value of step names beyond a journey's budget. */
export const OVERFLOW_STEP = 'other';

const PSEUDO: ReadonlySet<string> = new Set(Object.values(PSEUDO_STEPS));

/**
 * Keeps the `step` label bounded: a journey's declared steps (or the first
 * MAX_STEP_NAMES names seen, when it declares none) plus the runner's pseudo-steps; any
 * other name becomes `other`, so a journey that builds step names at run time cannot
 * explode the number of series.
 */
export class StepLabels {
  readonly #declared = new Map<string, ReadonlySet<string>>();
  readonly #seen = new Map<string, Set<string>>();

  /** Fixes a journey's label values to its declared step names. */
  declare(journey: string, steps: readonly string[]): void {
    this.#declared.set(journey, new Set(steps));
  }

  label(journey: string, step: string): string {
    if (PSEUDO.has(step)) return step;
    const declared = this.#declared.get(journey);
    if (declared !== undefined) return declared.has(step) ? step : OVERFLOW_STEP;
    let seen = this.#seen.get(journey);
    if (seen === undefined) {
      seen = new Set();
      this.#seen.set(journey, seen);
    }
    if (seen.has(step)) return step;
    if (seen.size >= MAX_STEP_NAMES) return OVERFLOW_STEP;
    seen.add(step);
    return step;
  }
}
