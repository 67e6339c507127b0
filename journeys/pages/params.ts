/**
 * The target's parameters, read and checked: everything a journey needs that differs
 * between the sandbox, staging and production (plan, prices, test card, address, bounds).
 * The card's number and CVV are not params but secrets (`target.card`).
 * A bad value is a configuration problem and fails the run with a one-line error naming it.
 *
 * The journeys declare what they read (`params` of defineJourney, from the declarations
 * below), so a target without a required one is refused at load, before any browser starts.
 */
import type { ParamSpecs } from 'journey-prober';

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

/** A whole-number parameter read by its declaration (its default and bounds). */
export function declared(
  params: Params,
  key: string,
  spec: { readonly min: number; readonly max: number; readonly default: number },
): number {
  return intParam(params, key, spec.default, spec.min, spec.max);
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
    timeoutMs: declared(params, 'provisioningTimeoutMs', PLAN_PARAMS.provisioningTimeoutMs),
    intervalMs: declared(params, 'provisioningPollMs', PLAN_PARAMS.provisioningPollMs),
  };
}

/** How long the payment form may take to show its card fields. */
export function paymentFormTimeout(params: Params): number {
  return declared(params, 'paymentFormTimeoutMs', PAYMENT_PARAMS.paymentFormTimeoutMs);
}

/** Tax and discount the summary should show (0 on the sandbox and on staging's test address). */
export function expectedExtras(params: Params): {
  readonly taxCents: number;
  readonly discountCents: number;
} {
  return {
    taxCents: declared(params, 'expectedTaxCents', PAYMENT_PARAMS.expectedTaxCents),
    discountCents: declared(params, 'expectedDiscountCents', PAYMENT_PARAMS.expectedDiscountCents),
  };
}

/** The billing address of the checkout (billingAddress). */
export const ADDRESS_PARAMS = {
  country: { type: 'text', description: 'billing country, as the checkout lists it' },
  street: { type: 'text' },
  city: { type: 'text' },
  state: { type: 'text', optional: true, description: 'required by the portal for the US and Canada' },
  zip: { type: 'text' },
} as const satisfies ParamSpecs;

/** What every payment reads besides the card's number and CVV (testCard, paymentFormTimeout, expectedExtras). */
export const PAYMENT_PARAMS = {
  cardHolder: { type: 'text' },
  cardExpiryMonth: { type: 'text' },
  cardExpiryYear: { type: 'text' },
  paymentFormTimeoutMs: { type: 'int', min: 1_000, max: 120_000, default: 20_000 },
  expectedTaxCents: { type: 'int', min: 0, max: 100_000_000, default: 0 },
  expectedDiscountCents: { type: 'int', min: 0, max: 100_000_000, default: 0 },
} as const satisfies ParamSpecs;

/** The plan a purchase buys and how long it waits for provisioning (planChoice, provisioningBound). */
export const PLAN_PARAMS = {
  plan: { type: 'text', default: 'Premium' },
  planId: { type: 'text', optional: true, description: 'default: the plan name in lower case' },
  provisioningTimeoutMs: { type: 'int', min: 1_000, max: 600_000, default: 60_000 },
  provisioningPollMs: { type: 'int', min: 100, max: 60_000, default: 2_000 },
} as const satisfies ParamSpecs;
