/** Card checks of the fake payment provider, and its magic test cards. */

export type CardOutcome = 'ok' | 'decline' | 'insufficient_funds' | '3ds_required' | 'lock_contention';

/** Magic numbers (digits only) → what happens, as Zuora's and Stripe's test cards do. */
export const MAGIC_CARDS: Readonly<Record<string, CardOutcome>> = {
  '4111111111111111': 'ok',
  '4000000000000002': 'decline',
  '4000000000009995': 'insufficient_funds',
  '4000002760003184': '3ds_required',
  '4000000000000119': 'lock_contention',
};

/** What the portal shows for each refusal: the real texts of the flows file. */
export const PAYMENT_MESSAGES = {
  decline: 'Transaction declined.402 - [card_error/card_declined/generic_decline] Your card was declined.',
  insufficient_funds:
    'Transaction declined.402 - [card_error/card_declined/insufficient_funds] Your card has insufficient funds.',
  '3ds_required':
    '3D Secure authentication is not supported. Please contact our sales team to complete your purchase. [card_error/authentication_required/authentication_required] This transaction requires authentication.',
} as const;

export const RATE_LIMIT_MESSAGE =
  'Attempt_Exceed_Limitation - Attempt exceed the limitation, refresh page to try again.';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const MAX_TRACKED_ACCOUNTS = 10_000;

/**
 * The provider's card-submission limit, per account: a submission is refused when
 * `perMinute` were accepted in the last 60 s or `perHour` in the last hour. Refused
 * submissions do not count. Times are monotonic milliseconds.
 */
export class CardLimiter {
  readonly #accepted = new Map<string, number[]>();

  constructor(public limit: { readonly perMinute: number; readonly perHour: number }) {}

  /** Records a submission and returns true, or returns false when it is over the limit. */
  tryTake(accountId: string, now: number): boolean {
    const times = (this.#accepted.get(accountId) ?? []).filter((t) => now - t < HOUR_MS);
    const lastMinute = times.filter((t) => now - t < MINUTE_MS).length;
    if (lastMinute >= this.limit.perMinute || times.length >= this.limit.perHour) {
      this.#accepted.set(accountId, times);
      return false;
    }
    times.push(now);
    this.#accepted.delete(accountId);
    this.#accepted.set(accountId, times);
    for (const key of this.#accepted.keys()) {
      if (this.#accepted.size <= MAX_TRACKED_ACCOUNTS) break;
      this.#accepted.delete(key);
    }
    return true;
  }

  /** Accepted submissions of an account in the last hour. */
  count(accountId: string, now: number): number {
    return (this.#accepted.get(accountId) ?? []).filter((t) => now - t < HOUR_MS).length;
  }

  clear(): void {
    this.#accepted.clear();
  }
}

/** A card field the provider rejects, with the message shown under it. */
export class CardFieldError extends Error {
  override readonly name = 'CardFieldError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CardInput {
  readonly holderName: string;
  readonly number: string;
  readonly expMonth: string;
  readonly expYear: string;
  readonly cvv: string;
}

export interface CheckedCard {
  readonly digits: string;
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: string;
  readonly expYear: string;
  readonly outcome: CardOutcome;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(digits: string): string {
  if (digits.startsWith('4')) return 'Visa';
  if (/^5[1-5]/.test(digits)) return 'Mastercard';
  if (/^3[47]/.test(digits)) return 'American Express';
  return 'Card';
}

/** Checks every field like a provider would; throws CardFieldError for the first bad one. */
export function checkCard(input: CardInput, now: Date): CheckedCard {
  if (input.holderName.trim() === '' || input.holderName.length > 100) {
    throw new CardFieldError('creditCardHolderName', 'Cardholder name is required.');
  }
  const digits = input.number.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(digits) || !luhnValid(digits)) {
    throw new CardFieldError('creditCardNumber', 'Card number is invalid.');
  }
  if (!/^(0[1-9]|1[0-2])$/.test(input.expMonth)) {
    throw new CardFieldError('creditCardExpirationMonth', 'Expiration month is invalid.');
  }
  if (!/^\d{4}$/.test(input.expYear))
    throw new CardFieldError('creditCardExpirationYear', 'Expiration year is invalid.');
  const expiry = Number(input.expYear) * 12 + Number(input.expMonth) - 1;
  if (expiry < now.getUTCFullYear() * 12 + now.getUTCMonth()) {
    throw new CardFieldError('creditCardExpirationYear', 'The card has expired.');
  }
  if (!/^\d{3,4}$/.test(input.cvv)) throw new CardFieldError('cardSecurityCode', 'Security code is invalid.');
  return {
    digits,
    brand: brandOf(digits),
    last4: digits.slice(-4),
    expMonth: input.expMonth,
    expYear: input.expYear,
    outcome: MAGIC_CARDS[digits] ?? 'ok',
  };
}
