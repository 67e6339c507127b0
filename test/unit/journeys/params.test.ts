import { describe, expect, it } from 'vitest';
import { classOfPaymentMessage, isRetryable } from '../../../journeys/pages/messages.js';
import {
  billingAddress,
  intParam,
  planChoice,
  provisioningBound,
  TargetParamError,
  testCard,
} from '../../../journeys/pages/params.js';
import { matchOption } from '../../../journeys/pages/select-option.js';
import { BUILT_IN_TARGETS } from '../../../src/config/targets.js';
import { Secret } from '../../../src/journey/secret.js';

const SANDBOX = BUILT_IN_TARGETS.sandbox?.params ?? {};
const CARD = { number: new Secret('4111 1111 1111 1111'), cvv: new Secret('123') };

describe('target params the journeys read', () => {
  it('reads the built-in sandbox params: card and address', () => {
    expect(testCard({ name: 'sandbox', params: SANDBOX, card: CARD })).toEqual({
      holder: 'QA Test',
      number: CARD.number,
      expiryMonth: '01',
      expiryYear: '2030',
      cvv: CARD.cvv,
    });
    expect(billingAddress(SANDBOX)).toMatchObject({
      city: 'San Francisco',
      state: 'California',
      zip: '94102',
    });
  });

  it('defaults to Premium at $228 per user per year, and takes overrides', () => {
    expect(planChoice({})).toEqual({ name: 'Premium', id: 'premium', perUserCents: 22_800 });
    expect(planChoice({ plan: 'Ultimate' }).perUserCents).toBe(118_800);
    expect(planChoice({ plan: 'Premium', planId: '2c92a0ff', premiumPriceCents: '29000' })).toEqual({
      name: 'Premium',
      id: '2c92a0ff',
      perUserCents: 29_000,
    });
    expect(provisioningBound({})).toEqual({ timeoutMs: 60_000, intervalMs: 2_000 });
  });

  it.each([
    [() => testCard({ name: 'x', params: {}, card: CARD }), 'target param "cardHolder" is required'],
    [
      () => testCard({ name: 'qa', params: SANDBOX }),
      'target "qa" has no card: set targets.qa.card.numberEnv and cvvEnv (docs/configuration.md "Card")',
    ],
    [
      () => intParam({ seats: '5x' }, 'seats', 1, 1, 10),
      'target param "seats" must be a whole number from 1 to 10, got "5x"',
    ],
    [() => intParam({ seats: '0' }, 'seats', 1, 1, 10), 'from 1 to 10, got "0"'],
    [() => planChoice({ plan: 'Gold' }), 'target param "goldPriceCents" is required'],
    [
      () => provisioningBound({ provisioningTimeoutMs: '10' }),
      '"provisioningTimeoutMs" must be a whole number from 1000',
    ],
  ])('a bad param is a one-line TargetParamError naming it (%#)', (read, message) => {
    expect(read).toThrow(TargetParamError);
    expect(read).toThrow(message);
  });
});

describe('choosing a select option by a configured name', () => {
  const countries = [
    ['', 'Select country'],
    ['US', 'United States'],
    ['GB', 'United Kingdom'],
    ['IE', 'Ireland'],
  ] as const;

  it('finds the exact label, the code, or the one label that is a word prefix', () => {
    expect(matchOption(countries, 'Ireland')).toBe('IE');
    expect(matchOption(countries, 'gb')).toBe('GB');
    expect(matchOption(countries, 'United States of America')).toBe('US');
    expect(matchOption([['USA', 'United States of America']], 'United States')).toBe('USA');
  });

  it('refuses what is ambiguous or absent', () => {
    expect(matchOption(countries, 'United')).toBeUndefined();
    expect(matchOption(countries, 'Northern Ireland')).toBeUndefined();
    expect(matchOption(countries, 'Select')).toBeUndefined();
    expect(matchOption(countries, '')).toBeUndefined();
  });
});

describe('what the portal says, and the failure class it means', () => {
  it.each([
    ['Your card was declined. Contact your card issuer for more information.', 'payment_declined'],
    ['Your card was declined due to insufficient funds. Use another card.', 'payment_declined'],
    ['Authentication required for this transaction', 'payment_declined'],
    ['Credit card form failed to load. Please try again.', 'payment_form'],
    ['Something went wrong (HTTP 503).', undefined],
  ])('%s → %s', (message, cls) => {
    expect(classOfPaymentMessage(message)).toBe(cls);
  });

  it('retries only the transient provider errors', () => {
    expect(isRetryable('Operation failed due to a lock competition, please retry later.')).toBe(true);
    expect(isRetryable('Attempt exceed the limitation, refresh page to try again.')).toBe(true);
    expect(isRetryable('Your card was declined.')).toBe(false);
  });
});
