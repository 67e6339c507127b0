import { duration, seconds } from './duration.js';
import type { BurnRateTier, JourneyOverride, SloParams } from './params.js';

/** A burn-rate tier with its windows as actually used by the rules. */
export interface EffectiveTier extends BurnRateTier {
  /** `short`, widened to two run intervals when the standard window is shorter. */
  readonly shortUsed: string;
  /** Error-ratio threshold: factor x error budget. */
  readonly threshold: number;
  /**
   * How long the alert keeps firing after its condition stops: the gap between failures
   * at the sparsest rate the tier alerts on (long / minFailedRuns) minus the short window.
   * Without it an intermittent failure flaps the alert; '' when no gap is possible.
   */
  readonly keepFiringFor: string;
}

/** Journeys sharing one value of a per-journey parameter, as a label matcher. */
export interface JourneyGroup {
  /** e.g. `journey!~"purchase"`, `journey=~"purchase"`, or '' for every journey. */
  readonly matcher: string;
  readonly seconds: number;
}

/** The error budget: 1 - objective (0.0005 for 99.95 %). */
export function errorBudget(params: SloParams): number {
  return Number((1 - params.objective).toPrecision(12));
}

/** The longest run interval of any journey. */
export function longestInterval(params: SloParams): number {
  const overrides = Object.values(params.journeys).flatMap((o) => (o.interval ? [seconds(o.interval)] : []));
  return Math.max(seconds(params.runInterval), ...overrides);
}

/**
 * The standard short windows assume a steady stream of requests. A prober running every
 * 5 min has at most one run in a 5 min window, and sometimes none (then the ratio is
 * 0/0 and a firing alert would flap): a short window holds at least two run intervals.
 */
export function effectiveTiers(params: SloParams): EffectiveTier[] {
  const floor = 2 * longestInterval(params);
  const budget = errorBudget(params);
  return params.burnRate.map((tier) => {
    const short = Math.max(seconds(tier.short), floor);
    const gap = Math.round(seconds(tier.long) / tier.minFailedRuns) - short;
    return {
      ...tier,
      shortUsed: duration(short),
      threshold: Number((tier.factor * budget).toPrecision(12)),
      keepFiringFor: gap > 0 ? duration(gap) : '',
    };
  });
}

/**
 * Groups journeys by one per-journey parameter: the default applies to every journey
 * not overridden, so a journey added later is covered without regenerating.
 */
export function journeyGroups(
  params: SloParams,
  field: keyof JourneyOverride,
  fallback: string,
): JourneyGroup[] {
  const byValue = new Map<number, string[]>();
  for (const [journey, override] of Object.entries(params.journeys).sort(([a], [b]) => a.localeCompare(b))) {
    const value = override[field];
    if (value === undefined || seconds(value) === seconds(fallback)) continue;
    byValue.set(seconds(value), [...(byValue.get(seconds(value)) ?? []), journey]);
  }
  const overridden = [...byValue.values()].flat();
  const groups: JourneyGroup[] = [
    {
      matcher: overridden.length === 0 ? '' : `journey!~"${overridden.join('|')}"`,
      seconds: seconds(fallback),
    },
  ];
  for (const [value, journeys] of byValue)
    groups.push({ matcher: `journey=~"${journeys.join('|')}"`, seconds: value });
  return groups;
}

/** A selector from matchers, skipping empty ones: `{outcome="failure",journey=~"a"}`. */
export function selector(...matchers: string[]): string {
  const used = matchers.filter((m) => m !== '');
  return used.length === 0 ? '' : `{${used.join(',')}}`;
}

/** A count threshold robust to increase() extrapolation: `>= K` becomes `>= K - 0.5`. */
export function atLeast(count: number): string {
  return `>= ${count - 0.5}`;
}

/** A duration in the largest whole units, from seconds. */
export { duration };
