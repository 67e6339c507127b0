import { addYears, daysBetween, type IsoDate } from './calendar.js';

/**
 * What an order must cost, computed independently of the page from the plan catalogue
 * (the target's params) and the seat count: the journeys compare this with the order
 * summary to the cent. The seat-change rule is the portal's (docs/sandbox.md): one seat
 * from today to the term end, by day, in whole cents rounded half up.
 */

/** The journey cannot price this order (bad seats, the term already over). */
export class PricingRuleError extends Error {
  override readonly name = 'PricingRuleError';
}

/** The amounts an order summary should show, in cents, and its term. */
export interface ExpectedQuote {
  readonly perUserCents: number;
  /** Seats on the summary line: the subscription's seat count after the order. */
  readonly seats: number;
  readonly termStart: IsoDate;
  readonly termEnd: IsoDate;
  readonly subtotalCents: number;
}

/** A seat change also shows the days it is prorated over, the price of all seats and the credit. */
export interface ExpectedSeatChange extends ExpectedQuote {
  readonly remainingDays: number;
  readonly termDays: number;
  readonly perSeatCents: number;
  readonly allSeatsCents: number;
  readonly creditCents: number;
}

function checkSeats(seats: number, what: string): void {
  if (!Number.isSafeInteger(seats) || seats < 1)
    throw new PricingRuleError(`${what} must be a whole number >= 1, got ${seats}`);
}

/** A yearly term from `termStart`: seats x the price per user per year. */
export function yearlyQuote(perUserCents: number, seats: number, termStart: IsoDate): ExpectedQuote {
  checkSeats(seats, 'seats');
  return {
    perUserCents,
    seats,
    termStart,
    termEnd: addYears(termStart, 1),
    subtotalCents: perUserCents * seats,
  };
}

/**
 * Seats added mid-term: every seat priced from today to the term end, minus a credit for
 * the seats already paid over the same days; the net is the price of the added seats.
 */
export function seatChangeQuote(input: {
  readonly perUserCents: number;
  readonly currentSeats: number;
  readonly additionalSeats: number;
  readonly termStart: IsoDate;
  readonly termEnd: IsoDate;
  readonly today: IsoDate;
}): ExpectedSeatChange {
  const { perUserCents, currentSeats, additionalSeats, termStart, termEnd, today } = input;
  checkSeats(currentSeats, 'current seats');
  checkSeats(additionalSeats, 'additional seats');
  const termDays = daysBetween(termStart, termEnd);
  if (termDays <= 0) throw new PricingRuleError(`term ${termStart}..${termEnd} is empty`);
  const remainingDays = Math.min(daysBetween(today, termEnd), termDays);
  if (remainingDays <= 0)
    throw new PricingRuleError(`the term ended on ${termEnd}: seats can no longer be added`);
  const perSeatCents = Math.floor((perUserCents * remainingDays * 2 + termDays) / (2 * termDays));
  const seats = currentSeats + additionalSeats;
  const allSeatsCents = perSeatCents * seats;
  const creditCents = perSeatCents * currentSeats;
  return {
    perUserCents,
    seats,
    termStart: today < termStart ? termStart : today,
    termEnd,
    subtotalCents: allSeatsCents - creditCents,
    remainingDays,
    termDays,
    perSeatCents,
    allSeatsCents,
    creditCents,
  };
}
