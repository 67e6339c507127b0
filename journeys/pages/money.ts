/**
 * Money as the portal prints it, read back into integer cents: every price check in the
 * journeys compares whole cents, never floats.
 */

/** Text that should have been an amount of money but is not. */
export class MoneyFormatError extends Error {
  override readonly name = 'MoneyFormatError';
}

const AMOUNT = /^(-)?\$(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{2}))?$/;

/** "$1,140.00" → 114000, "-$12.50" → -1250, "$228" → 22800. */
export function parseCents(text: string): number {
  const match = AMOUNT.exec(text.trim());
  if (!match) throw new MoneyFormatError(`not an amount of money: ${JSON.stringify(text)}`);
  const whole = Number((match[2] ?? '').replace(/,/g, ''));
  const cents = whole * 100 + Number(match[3] ?? '0');
  if (!Number.isSafeInteger(cents)) throw new MoneyFormatError(`amount too large: ${JSON.stringify(text)}`);
  return match[1] === '-' ? -cents : cents;
}

function grouped(whole: number): string {
  return whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 114000 → "$1,140.00"; negative amounts read "-$12.50" (the summary's total lines). */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new MoneyFormatError(`amount must be whole cents, got ${cents}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}$${grouped(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}

/** 22800 → "$228", 22850 → "$228.50" (the "per user per year" line). */
export function formatPrice(cents: number): string {
  return cents % 100 === 0 ? formatCents(cents).slice(0, -3) : formatCents(cents);
}
