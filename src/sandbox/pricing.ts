import { type IsoDate, addYears, daysBetween, formatDate } from './dates.js';

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

/** Money is integer cents everywhere; these only format it for display. */

function grouped(whole: number): string {
  return whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "$1,140.00"; negative amounts read "-$12.50". */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be integer cents, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}$${grouped(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}

/** "$228" for whole dollars, "$228.50" otherwise (the per-user price line). */
export function formatPrice(cents: number): string {
  return cents % 100 === 0 ? formatCents(cents).slice(0, -3) : formatCents(cents);
}

/** What the `pricing: wrong` fault adds to the shown subtotal and total: $100. */
export const WRONG_PRICE_CENTS = 10_000;

/** The price preview as the order summary shows it, keyed by `data-summary` / test id. */
export function displayQuote(quote: Quote, wrong: boolean): Record<string, string> {
  const extra = wrong ? WRONG_PRICE_CENTS : 0;
  const display: Record<string, string> = {
    'selected-plan': `${PLAN_NAMES[quote.plan]} plan (x${quote.seats})`,
    'per-user': `${formatPrice(quote.perUserCents)} per user per year`,
    dates: `${formatDate(quote.termStart)} - ${formatDate(quote.termEnd)}`,
    'total-ex-vat': formatCents(quote.subtotalCents + extra),
    // "–" when no tax rate applies, as the portal shows it.
    vat: quote.vatCents === 0 ? '–' : formatCents(quote.vatCents),
    'total-amount': formatCents(quote.totalCents + extra),
  };
  // The discount line shows only when there is one.
  if (quote.discountCents !== 0) display.discount = formatCents(-quote.discountCents);
  const p = quote.proration;
  if (p !== undefined) {
    display['prorated-days'] = `${p.remainingDays} of ${p.termDays} days`;
    display['all-seats-price'] = formatCents(p.allSeatsCents);
    display.credit = formatCents(-p.creditCents);
  }
  return display;
}

/** The preview endpoint's answer: display strings plus the amounts in cents. */
export function previewBody(quote: Quote, wrong: boolean): Record<string, unknown> {
  const extra = wrong ? WRONG_PRICE_CENTS : 0;
  return {
    display: displayQuote(quote, wrong),
    amounts: {
      perUserCents: quote.perUserCents,
      seats: quote.seats,
      subtotalCents: quote.subtotalCents + extra,
      discountCents: quote.discountCents,
      vatCents: quote.vatCents,
      totalCents: quote.totalCents + extra,
      ...(quote.proration === undefined ? {} : { proration: quote.proration }),
    },
    termStart: quote.termStart,
    termEnd: quote.termEnd,
  };
}
