/**
 * The target's parameters, read and checked: everything a journey needs that differs
 * between the sandbox, staging and production (plan, prices, test card, address, bounds).
 * The card's number and CVV are not params but secrets (`target.card`).
 * A bad value is a configuration problem and fails the run with a one-line error naming it.
 */

import type { Secret, TargetInfo } from 'journey-prober';

/** A target parameter that is missing or malformed. */
export class TargetParamError extends Error {
  override readonly name = 'TargetParamError';
}

type Params = Readonly<Record<string, string>>;

/** A required text parameter. */
export function textParam(params: Params, key: string, fallback?: string): string {
  const value = params[key] ?? fallback;
  if (value === undefined || value.trim() === '') {
    throw new TargetParamError(`target param "${key}" is required (set it in the target's params)`);
  }
  return value.trim();
}

/** A whole-number parameter within [min, max]. */
export function intParam(params: Params, key: string, fallback: number, min: number, max: number): number {
  const raw = params[key];
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new TargetParamError(
      `target param "${key}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** The test card typed into the payment form: its number and CVV are secrets, revealed only to type them. */
export interface TestCard {
  readonly holder: string;
  readonly number: Secret;
  readonly expiryMonth: string;
  readonly expiryYear: string;
  readonly cvv: Secret;
}

/** The target's card: holder and expiry from its params, number and CVV from its secrets (`card` in the config). */
export function testCard(target: Pick<TargetInfo, 'name' | 'params' | 'card'>): TestCard {
  const { params, card } = target;
  if (card === undefined) {
    throw new TargetParamError(
      `target "${target.name}" has no card: set targets.${target.name}.card.numberEnv and cvvEnv (docs/configuration.md "Card")`,
    );
  }
  return {
    holder: textParam(params, 'cardHolder'),
    number: card.number,
    expiryMonth: textParam(params, 'cardExpiryMonth').padStart(2, '0'),
    expiryYear: textParam(params, 'cardExpiryYear'),
    cvv: card.cvv,
  };
}

/** The billing address of the checkout's second step. */
export interface BillingAddress {
  readonly country: string;
  readonly street: string;
  readonly city: string;
  /** Required by the portal for the US and Canada only. */
  readonly state?: string;
  readonly zip: string;
}

export function billingAddress(params: Params): BillingAddress {
  const state = params.state?.trim();
  return {
    country: textParam(params, 'country'),
    street: textParam(params, 'street'),
    city: textParam(params, 'city'),
    ...(state ? { state } : {}),
    zip: textParam(params, 'zip'),
  };
}

/** Prices of the staging catalogue, per user per year (customersdot-flows.md). */
const DEFAULT_PRICES: Readonly<Record<string, number>> = { premium: 22_800, ultimate: 118_800 };

/** The plan a purchase buys: its name in the plan select, its id in the URL, its price. */
export interface PlanChoice {
  /** As the plan select and the summary show it, e.g. "Premium". */
  readonly name: string;
  /** `plan_id` of `/subscriptions/new` (a catalogue id on the real portal). */
  readonly id: string;
  readonly perUserCents: number;
}

/** The price per user per year of a plan by its display name: `<plan>PriceCents`, e.g. premiumPriceCents. */
export function planPrice(params: Params, planName: string): number {
  const key = planName.trim().toLowerCase();
  const fallback = DEFAULT_PRICES[key];
  const param = `${key}PriceCents`;
  if (fallback === undefined && params[param] === undefined) {
    throw new TargetParamError(
      `target param "${param}" is required: no default price for plan "${planName}"`,
    );
  }
  return intParam(params, param, fallback ?? 0, 1, 100_000_000);
}

export function planChoice(params: Params): PlanChoice {
  const name = textParam(params, 'plan', 'Premium');
  return { name, id: textParam(params, 'planId', name.toLowerCase()), perUserCents: planPrice(params, name) };
}

/** How long to poll for provisioning (GitLab QA: every 2 s up to a minute). */
export function provisioningBound(params: Params): {
  readonly timeoutMs: number;
  readonly intervalMs: number;
} {
  return {
    timeoutMs: intParam(params, 'provisioningTimeoutMs', 60_000, 1_000, 600_000),
    intervalMs: intParam(params, 'provisioningPollMs', 2_000, 100, 60_000),
  };
}

/** How long the payment form may take to show its card fields. */
export function paymentFormTimeout(params: Params): number {
  return intParam(params, 'paymentFormTimeoutMs', 20_000, 1_000, 120_000);
}

/** Tax and discount the summary should show (0 on the sandbox and on staging's test address). */
export function expectedExtras(params: Params): {
  readonly taxCents: number;
  readonly discountCents: number;
} {
  return {
    taxCents: intParam(params, 'expectedTaxCents', 0, 0, 100_000_000),
    discountCents: intParam(params, 'expectedDiscountCents', 0, 0, 100_000_000),
  };
}
