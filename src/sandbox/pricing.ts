import { addYears, daysBetween, type IsoDate } from './dates.js';

/** The plans the sandbox sells. */
export const PLAN_IDS = ['premium', 'ultimate'] as const;
export type PlanId = (typeof PLAN_IDS)[number];
export const PLAN_NAMES: Readonly<Record<PlanId, string>> = { premium: 'Premium', ultimate: 'Ultimate' };

/** The staging catalogue's plan ids, as `plan_id` carries them (fact: GitLab's QA helper). */
export const CATALOGUE_PLAN_IDS: Readonly<Record<PlanId, string>> = {
  premium: '2c92a00d76f0d5060176f2fb0a5029ff',
  ultimate: '2c92a0ff76f0d5250176f2f8c86f305a',
};

/** The plan a catalogue id names, if any. */
export function planOfCatalogueId(id: string | null): PlanId | undefined {
  return PLAN_IDS.find((plan) => CATALOGUE_PLAN_IDS[plan] === id);
}

/** Price per user per year of each plan, in integer cents. */
export type Catalogue = Readonly<Record<PlanId, number>>;
export const DEFAULT_CATALOGUE: Catalogue = { premium: 22_800, ultimate: 118_800 };

/** Most seats one order may carry: keeps every amount a safe integer. */
export const MAX_SEATS = 100_000;

/** A price asked for something the catalogue cannot price (bad seats, term already over). */
export class PricingError extends Error {
  override readonly name = 'PricingError';
}

/** Seat-change proration: every amount is whole cents, and `net = allSeats - credit` exactly. */
export interface Proration {
  readonly remainingDays: number;
  readonly termDays: number;
  /** One seat from today to the term end: round-half-up(perUser x remaining / term). */
  readonly perSeatCents: number;
  readonly currentSeats: number;
  readonly additionalSeats: number;
  /** All seats after the change, prorated. */
  readonly allSeatsCents: number;
  /** What the seats already paid for are worth over the same days. */
  readonly creditCents: number;
}

/** What the order summary shows. Discount and tax are always zero in the sandbox. */
export interface Quote {
  readonly plan: PlanId;
  /** Seats on the summary line: the subscription's seat count after the order. */
  readonly seats: number;
  readonly perUserCents: number;
  readonly termStart: IsoDate;
  readonly termEnd: IsoDate;
  readonly subtotalCents: number;
  readonly discountCents: number;
  readonly vatCents: number;
  readonly totalCents: number;
  readonly proration?: Proration;
}

export function isPlanId(value: unknown): value is PlanId {
  return typeof value === 'string' && (PLAN_IDS as readonly string[]).includes(value);
}

function checkSeats(seats: number, what: string, min: number): void {
  if (!Number.isInteger(seats) || seats < min || seats > MAX_SEATS) {
    throw new PricingError(`${what} must be a whole number from ${min} to ${MAX_SEATS}, got ${seats}`);
  }
}

function yearly(catalogue: Catalogue, plan: PlanId, seats: number, termStart: IsoDate): Quote {
  checkSeats(seats, 'number of users', 1);
  const perUserCents = catalogue[plan];
  const subtotalCents = perUserCents * seats;
  return {
    plan,
    seats,
    perUserCents,
    termStart,
    termEnd: addYears(termStart, 1),
    subtotalCents,
    discountCents: 0,
    vatCents: 0,
    totalCents: subtotalCents,
  };
}

/** A new subscription: one year from today. */
export function newSubscriptionQuote(
  catalogue: Catalogue,
  plan: PlanId,
  seats: number,
  today: IsoDate,
): Quote {
  return yearly(catalogue, plan, seats, today);
}

/** A renewal: one year on from the old term's end, whenever it is bought. */
export function renewalQuote(catalogue: Catalogue, plan: PlanId, seats: number, oldTermEnd: IsoDate): Quote {
  return yearly(catalogue, plan, seats, oldTermEnd);
}

/**
 * One seat's price from `today` to the term end, by day, in whole cents (half up).
 * Before the term starts the whole term is charged; on or after its end nothing can be.
 */
export function prorate(
  perUserCents: number,
  termStart: IsoDate,
  termEnd: IsoDate,
  today: IsoDate,
): { remainingDays: number; termDays: number; perSeatCents: number } {
  const termDays = daysBetween(termStart, termEnd);
  if (termDays <= 0) throw new PricingError(`term ${termStart}..${termEnd} is empty`);
  const remainingDays = Math.min(daysBetween(today, termEnd), termDays);
  if (remainingDays <= 0)
    throw new PricingError(`the term ended on ${termEnd}: seats can no longer be added`);
  const perSeatCents = Math.floor((perUserCents * remainingDays * 2 + termDays) / (2 * termDays));
  return { remainingDays, termDays, perSeatCents };
}

/** Seats added mid-term: pay for all seats to the term end, minus a credit for those already paid. */
export function extraSeatsQuote(
  catalogue: Catalogue,
  subscription: { plan: PlanId; seats: number; termStart: IsoDate; termEnd: IsoDate },
  additionalSeats: number,
  today: IsoDate,
): Quote {
  checkSeats(additionalSeats, 'number of additional users', 1);
  const currentSeats = subscription.seats;
  checkSeats(currentSeats + additionalSeats, 'seats after the change', 1);
  const perUserCents = catalogue[subscription.plan];
  const base = prorate(perUserCents, subscription.termStart, subscription.termEnd, today);
  const allSeatsCents = base.perSeatCents * (currentSeats + additionalSeats);
  const creditCents = base.perSeatCents * currentSeats;
  const subtotalCents = allSeatsCents - creditCents;
  return {
    plan: subscription.plan,
    seats: currentSeats + additionalSeats,
    perUserCents,
    termStart: today < subscription.termStart ? subscription.termStart : today,
    termEnd: subscription.termEnd,
    subtotalCents,
    discountCents: 0,
    vatCents: 0,
    totalCents: subtotalCents,
    proration: { ...base, currentSeats, additionalSeats, allSeatsCents, creditCents },
  };
}
