/**
 * Calendar dates as `YYYY-MM-DD` strings in UTC: terms, proration and display all count
 * whole days, so a time of day never shifts a price.
 */
export type IsoDate = string;

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A malformed or impossible calendar date. */
export class InvalidDateError extends Error {
  override readonly name = 'InvalidDateError';
}

function parts(date: IsoDate): [number, number, number] {
  const match = ISO.exec(date);
  if (!match) throw new InvalidDateError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (toIso(new Date(Date.UTC(y, m - 1, d))) !== date) {
    throw new InvalidDateError(`not a calendar date: ${date}`);
  }
  return [y, m, d];
}

function toIso(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

function epochDays(date: IsoDate): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The UTC calendar date of an instant. */
export function dateOf(instant: Date): IsoDate {
  return toIso(instant);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return toIso(new Date((epochDays(date) + days) * DAY_MS));
}

/** Same day `years` later; 29 February becomes 28 February in a non-leap year. */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = parts(date);
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) return toIso(new Date(Date.UTC(y + years, m, 0)));
  return toIso(target);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return epochDays(to) - epochDays(from);
}

/** "Jun 3, 2027", as the portal prints dates. */
export function formatDate(date: IsoDate): string {
  const [y, m, d] = parts(date);
  return `${MONTHS[m - 1] ?? '?'} ${d}, ${y}`;
}
