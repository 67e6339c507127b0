import { describe, expect, it } from 'vitest';
import { addYears, daysBetween, formatDate, InvalidDateError } from '../../../src/sandbox/dates.js';
import { formatCents, formatPrice } from '../../../src/sandbox/pricing.js';
import {
  DEFAULT_CATALOGUE,
  extraSeatsQuote,
  newSubscriptionQuote,
  PricingError,
  prorate,
  renewalQuote,
} from '../../../src/sandbox/pricing.js';

describe('proration by day, in integer cents', () => {
  // perSeat = floor((perUser * remaining * 2 + termDays) / (2 * termDays)): round half up.
  it.each([
    // today,       termStart,    termEnd,      perUser, remaining, termDays, perSeat
    ['2025-06-15', '2025-03-07', '2026-03-07', 22_800, 265, 365, 16_553], // 16553.4
    ['2025-03-07', '2025-03-07', '2026-03-07', 22_800, 365, 365, 22_800], // first day: full price
    ['2026-03-06', '2025-03-07', '2026-03-07', 22_800, 1, 365, 62], // 62.47
    ['2024-02-29', '2024-01-01', '2025-01-01', 22_800, 307, 366, 19_125], // leap year term: 19124.59
    ['2024-12-31', '2024-01-01', '2025-01-01', 118_800, 1, 366, 325], // 324.59
    ['2025-01-10', '2025-01-10', '2026-01-10', 22_800, 365, 365, 22_800],
    ['2025-07-02', '2025-01-01', '2026-01-01', 36_500, 183, 365, 18_300], // exact
    ['2025-07-02', '2025-01-01', '2026-01-01', 100, 183, 365, 50], // 50.136
    ['2025-01-01', '2025-01-01', '2026-01-01', 1, 365, 365, 1],
    ['2025-10-02', '2025-01-01', '2026-01-01', 73, 91, 365, 18], // 18.2
    ['2025-10-01', '2025-01-01', '2026-01-01', 146, 92, 365, 37], // 36.8
    ['2024-06-01', '2025-01-01', '2026-01-01', 22_800, 365, 365, 22_800], // before the term: whole term
  ] as const)(
    'today %s, term %s..%s, %i c/user → %i of %i days, %i c/seat',
    (today, start, end, perUser, remaining, termDays, perSeat) => {
      expect(prorate(perUser, start, end, today)).toEqual({
        remainingDays: remaining,
        termDays,
        perSeatCents: perSeat,
      });
    },
  );

  it('rounds exactly half a cent up', () => {
    // 1 cent x 1 day / 2 days = 0.5 → 1
    expect(prorate(1, '2025-01-01', '2025-01-03', '2025-01-02').perSeatCents).toBe(1);
    // 3 cents x 1 / 2 = 1.5 → 2
    expect(prorate(3, '2025-01-01', '2025-01-03', '2025-01-02').perSeatCents).toBe(2);
  });

  it('refuses a term that has ended', () => {
    expect(() => prorate(22_800, '2024-01-01', '2025-01-01', '2025-01-01')).toThrow(PricingError);
    expect(() => prorate(22_800, '2024-01-01', '2025-01-01', '2025-02-01')).toThrow(/ended on 2025-01-01/);
  });

  it('charges the net change: all seats minus the credit, to the cent', () => {
    const quote = extraSeatsQuote(
      DEFAULT_CATALOGUE,
      { plan: 'premium', seats: 5, termStart: '2025-03-07', termEnd: '2026-03-07' },
      3,
      '2025-06-15',
    );
    expect(quote.proration).toMatchObject({
      allSeatsCents: 132_424,
      creditCents: 82_765,
      currentSeats: 5,
      additionalSeats: 3,
    });
    expect(quote.totalCents).toBe(49_659);
    expect(quote.totalCents).toBe(quote.proration!.allSeatsCents - quote.proration!.creditCents);
    expect(quote.seats).toBe(8);
    expect(quote.termStart).toBe('2025-06-15');
  });

  it('rejects bad seat counts with a message naming the field', () => {
    const sub = { plan: 'premium', seats: 5, termStart: '2025-03-07', termEnd: '2026-03-07' } as const;
    expect(() => extraSeatsQuote(DEFAULT_CATALOGUE, sub, 0, '2025-06-15')).toThrow(
      /number of additional users/,
    );
    expect(() => extraSeatsQuote(DEFAULT_CATALOGUE, sub, 1.5, '2025-06-15')).toThrow(PricingError);
    expect(() => newSubscriptionQuote(DEFAULT_CATALOGUE, 'premium', 100_001, '2025-06-15')).toThrow(
      /number of users/,
    );
  });
});

describe('yearly quotes', () => {
  it('a new subscription runs one year from today', () => {
    const q = newSubscriptionQuote(DEFAULT_CATALOGUE, 'premium', 5, '2025-06-15');
    expect(q).toMatchObject({
      termStart: '2025-06-15',
      termEnd: '2026-06-15',
      subtotalCents: 114_000,
      totalCents: 114_000,
      vatCents: 0,
    });
    expect(
      newSubscriptionQuote({ premium: 1000, ultimate: 5000 }, 'ultimate', 3, '2025-06-15').totalCents,
    ).toBe(15_000);
  });

  it('a renewal runs one year on from the old end date', () => {
    expect(renewalQuote(DEFAULT_CATALOGUE, 'premium', 4, '2025-06-25')).toMatchObject({
      termStart: '2025-06-25',
      termEnd: '2026-06-25',
      totalCents: 91_200,
    });
  });
});

describe('dates and money', () => {
  it('counts days across leap years and clamps 29 February', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2024-12-31')).toBe(-1);
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2025-06-15', -1)).toBe('2024-06-15');
    expect(formatDate('2027-06-03')).toBe('Jun 3, 2027');
    expect(() => daysBetween('2025-02-30', '2025-03-01')).toThrow(InvalidDateError);
    expect(() => formatDate('June 3')).toThrow(/YYYY-MM-DD/);
  });

  it('formats cents like the order summary', () => {
    expect(formatCents(114_000)).toBe('$1,140.00');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(-82_765)).toBe('-$827.65');
    expect(formatCents(123_456_789)).toBe('$1,234,567.89');
    expect(formatPrice(22_800)).toBe('$228');
    expect(formatPrice(22_850)).toBe('$228.50');
    expect(() => formatCents(1.5)).toThrow(RangeError);
  });
});
