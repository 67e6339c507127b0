import { describe, expect, it } from 'vitest';
import { addYears } from '../../../journeys/pages/calendar.js';
import { PricingRuleError, seatChangeQuote, yearlyQuote } from '../../../journeys/pages/pricing.js';
import { DEFAULT_CATALOGUE, extraSeatsQuote } from '../../../src/sandbox/pricing.js';
import { addDays } from '../../../src/sandbox/dates.js';

describe('what a new subscription or a renewal must cost', () => {
  it('is seats x price per user for a year from the start', () => {
    expect(yearlyQuote(22_800, 5, '2026-11-25')).toEqual({
      perUserCents: 22_800,
      seats: 5,
      termStart: '2026-11-25',
      termEnd: '2027-11-25',
      subtotalCents: 114_000,
    });
    expect(() => yearlyQuote(22_800, 0, '2026-11-25')).toThrow(PricingRuleError);
  });
});

describe('what added seats must cost (the proration rule)', () => {
  it('charges the added seats by day to the term end, half-up to the cent', () => {
    // 265 of 365 days of $228: 22800 x 265 / 365 = 16553.42… → 16553 cents a seat.
    const quote = seatChangeQuote({
      perUserCents: 22_800,
      currentSeats: 5,
      additionalSeats: 2,
      termStart: '2026-08-17',
      termEnd: '2027-08-17',
      today: '2026-11-25',
    });
    expect(quote).toMatchObject({ remainingDays: 265, termDays: 365, perSeatCents: 16_553, seats: 7 });
    expect(quote.allSeatsCents).toBe(16_553 * 7);
    expect(quote.creditCents).toBe(16_553 * 5);
    expect(quote.subtotalCents).toBe(16_553 * 2);
    expect(quote.termStart).toBe('2026-11-25');
  });

  it('refuses a term that is over', () => {
    const input = {
      perUserCents: 22_800,
      currentSeats: 5,
      additionalSeats: 1,
      termStart: '2025-01-01',
      termEnd: '2026-01-01',
    };
    expect(() => seatChangeQuote({ ...input, today: '2026-01-01' })).toThrow(/ended on 2026-01-01/);
  });

  // The journey computes its expectation on its own; it must agree with the sandbox's rule
  // (docs/sandbox.md) on every day of a term, leap years and odd prices included.
  it('agrees with the sandbox to the cent on every day of three terms', () => {
    const terms = [
      ['2026-08-17', 22_800],
      ['2027-03-01', 118_800],
      ['2027-06-30', 12_345],
    ] as const;
    for (const [termStart, perUserCents] of terms) {
      const termEnd = addYears(termStart, 1);
      for (let day = -3; day < 365; day++) {
        const today = addDays(termStart, day);
        const catalogue = { ...DEFAULT_CATALOGUE, premium: perUserCents };
        const sandbox = extraSeatsQuote(
          catalogue,
          { plan: 'premium', seats: 4, termStart, termEnd },
          3,
          today,
        );
        const mine = seatChangeQuote({
          perUserCents,
          currentSeats: 4,
          additionalSeats: 3,
          termStart,
          termEnd,
          today,
        });
        expect(
          [mine.subtotalCents, mine.allSeatsCents, mine.creditCents, mine.termStart],
          `${termStart} +${day}d`,
        ).toEqual([
          sandbox.subtotalCents,
          sandbox.proration?.allSeatsCents,
          sandbox.proration?.creditCents,
          sandbox.termStart,
        ]);
      }
    }
  });
});
