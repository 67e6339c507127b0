/**
 * Calendar dates as the portal prints them ("Jun 3, 2027"), as `YYYY-MM-DD` strings in UTC.
 * Terms and proration count whole days, so a time of day never shifts a price.
 */
export type IsoDate = string;

/** Text that should have been a date but is not. */
export class DateFormatError extends Error {
  override readonly name = 'DateFormatError';
}

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const PORTAL_DATE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function toIso(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

function utc(y: number, m: number, d: number, text: string): Date {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new DateFormatError(`not a calendar date: ${JSON.stringify(text)}`);
  }
  return date;
}

function parts(date: IsoDate): [number, number, number] {
  const match = ISO.exec(date);
  if (!match) throw new DateFormatError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  utc(y, m, d, date);
  return [y, m, d];
}

/** "Jun 3, 2027" → "2027-06-03". */
export function parsePortalDate(text: string): IsoDate {
  const match = PORTAL_DATE.exec(text.trim());
  const month = match ? MONTHS.indexOf(match[1] as (typeof MONTHS)[number]) : -1;
  if (!match || month < 0)
    throw new DateFormatError(`not a date like "Jun 3, 2027": ${JSON.stringify(text)}`);
  return toIso(utc(Number(match[3]), month + 1, Number(match[2]), text));
}

/** "2027-06-03" → "Jun 3, 2027". */
export function formatPortalDate(date: IsoDate): string {
  const [y, m, d] = parts(date);
  return `${MONTHS[m - 1] ?? '?'} ${d}, ${y}`;
}

/** Today's UTC calendar date. */
export function todayUtc(now: Date = new Date()): IsoDate {
  return toIso(now);
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
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  return (Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / DAY_MS;
}
