import { describe, expect, it } from 'vitest';
import {
  addYears,
  DateFormatError,
  daysBetween,
  formatPortalDate,
  parsePortalDate,
  todayUtc,
} from '../../../journeys/pages/calendar.js';
import { formatCents, formatPrice, MoneyFormatError, parseCents } from '../../../journeys/pages/money.js';

describe('money as the portal prints it', () => {
  it.each([
    ['$1,140.00', 114_000],
    ['$0.00', 0],
    ['-$12.50', -1_250],
    ['$228', 22_800],
    ['$1,234,567.89', 123_456_789],
    [' $5.05 ', 505],
  ])('%s is %d cents', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each(['', '1140.00', '$1,14.00', '$12.5', '$12.505', 'USD 12', '$-12.00', '$1 140.00'])(
    'rejects %j with a one-line error naming it',
    (text) => {
      expect(() => parseCents(text)).toThrow(MoneyFormatError);
      expect(() => parseCents(text)).toThrow(JSON.stringify(text));
    },
  );

  it('formats cents back, round trip', () => {
    for (const cents of [0, 1, 99, 100, 22_800, 114_000, 123_456_789, -1_250]) {
      expect(parseCents(formatCents(cents))).toBe(cents);
    }
    expect(formatCents(114_000)).toBe('$1,140.00');
    expect(formatCents(-62_465)).toBe('-$624.65');
    expect(formatPrice(22_800)).toBe('$228');
    expect(formatPrice(22_850)).toBe('$228.50');
    expect(() => formatCents(1.5)).toThrow(MoneyFormatError);
  });
});

describe('dates as the portal prints them', () => {
  it('parses and formats "Jun 3, 2027"', () => {
    expect(parsePortalDate('Jun 3, 2027')).toBe('2027-06-03');
    expect(parsePortalDate(' Dec 31, 2026 ')).toBe('2026-12-31');
    expect(formatPortalDate('2027-06-03')).toBe('Jun 3, 2027');
  });

  it.each(['2027-06-03', 'June 3, 2027', 'Feb 30, 2027', 'Jun 3 2027', 'jun 3, 2027'])(
    'rejects %j',
    (text) => {
      expect(() => parsePortalDate(text)).toThrow(DateFormatError);
    },
  );

  it('adds years the way terms do, 29 February included', () => {
    expect(addYears('2026-11-25', 1)).toBe('2027-11-25');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addYears('2027-03-01', -1)).toBe('2026-03-01');
  });

  it('counts whole days across years and leap days', () => {
    expect(daysBetween('2026-11-25', '2027-11-25')).toBe(365);
    expect(daysBetween('2027-11-25', '2028-11-25')).toBe(366);
    expect(daysBetween('2027-01-10', '2027-01-01')).toBe(-9);
    expect(todayUtc(new Date('2026-11-25T23:59:59.999Z'))).toBe('2026-11-25');
  });
});
