import type { CardBudgetView } from '../journey/types.js';

/** Card forms an account may send to the payment provider: per minute and per hour. */
export interface CardLimits {
  readonly perMinute: number;
  readonly perHour: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The prober's own card submissions per account, against the payment provider's limit
 * (3 a minute, 6 an hour: "Attempt_Exceed_Limitation" beyond). The scheduler asks it before
 * a run whether the run's declared submissions still fit; journeys record each submission and
 * ask it, when the provider refuses, whether the prober itself went over. Keyed like the
 * scheduler's account locks, so every run of one account shares one record.
 */
export class CardBudget {
  readonly #sent = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Submissions of `key` in the last minute and the last hour (older ones are forgotten). */
  usage(key: string): { minute: number; hour: number } {
    const now = this.#now();
    const kept = (this.#sent.get(key) ?? []).filter((t) => now - t < HOUR_MS);
    if (kept.length === 0) this.#sent.delete(key);
    else this.#sent.set(key, kept);
    return { minute: kept.filter((t) => now - t < MINUTE_MS).length, hour: kept.length };
  }

  /** Whether `submissions` more card forms now stay within `limits`. */
  allows(key: string, submissions: number, limits: CardLimits): boolean {
    if (submissions <= 0) return true;
    const { minute, hour } = this.usage(key);
    return minute + submissions <= limits.perMinute && hour + submissions <= limits.perHour;
  }

  record(key: string): void {
    const sent = this.#sent.get(key) ?? [];
    sent.push(this.#now());
    this.#sent.set(key, sent);
  }

  /** Whether the prober's own submissions reach the provider's limit (the last one included). */
  exceeded(key: string, limits: CardLimits): boolean {
    const { minute, hour } = this.usage(key);
    return minute > limits.perMinute || hour > limits.perHour;
  }

  /** What a journey sees of the budget of its account. */
  view(key: string, limits: CardLimits): CardBudgetView {
    return {
      submitted: () => this.record(key),
      exceededByProber: () => this.exceeded(key, limits),
    };
  }
}

/** The scheduler's `payment_budget` question for a run of a shared account (fresh accounts have their own limit). */
export function cardBudgetAllows(
  live: { readonly cardBudget: CardBudget; readonly target: { readonly cardBudget: CardLimits } } | undefined,
  entry: { readonly accountKey: string | undefined; readonly journey: { readonly cardSubmissions: number } },
): boolean {
  if (live === undefined || entry.accountKey === undefined) return true;
  return live.cardBudget.allows(entry.accountKey, entry.journey.cardSubmissions, live.target.cardBudget);
}
