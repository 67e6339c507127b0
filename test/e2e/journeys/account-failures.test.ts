import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import { Secret } from '../../../src/journey/secret.js';
import { PARAMS, purchase, renewal, seatChange } from './fault-cases.js';
import { describe, startJourneyFixture, type JourneyFixture } from './fixture.js';

/** Failures the page explains about the account (auth, precondition), and a bad target param. */
let fx: JourneyFixture;
beforeAll(async () => {
  fx = await startJourneyFixture({ provisioningDelayMs: 300 });
});
afterAll(async () => {
  await fx?.stop();
});

suite('what the portal says about the account', () => {
  const accountIn = (state: string, tamper?: (password: string) => string) => async () => {
    const created = await fx.control<{ email: string; password: string; subscriptionId?: string }>(
      'POST',
      '/__sandbox/accounts',
      { state },
    );
    const password = tamper ? tamper(created.password) : created.password;
    passwords.push(created.password, password);
    return {
      email: created.email,
      password: new Secret(password),
      ...(created.subscriptionId === undefined ? {} : { subscriptionId: created.subscriptionId }),
    };
  };
  const passwords: string[] = [];

  it.each([
    [
      'a wrong password',
      purchase,
      accountIn('none', (p) => `${p}x`),
      'sign in',
      'auth',
      // GitLab.com's own text: sign-in goes through GitLab.com now (customersdot-flows.md).
      /sign in refused: Invalid login or password/,
    ],
    [
      'no subscription to add seats to',
      seatChange,
      accountIn('none'),
      'open subscription',
      'precondition',
      /no subscription/,
    ],
    [
      'renewal not open yet',
      renewal,
      accountIn('active'),
      'renew',
      'precondition',
      /renewal is not offered .*Renewal opens on/,
    ],
    [
      'a reseller subscription',
      seatChange,
      accountIn('reseller'),
      'add seats',
      'precondition',
      /purchased through a reseller/,
    ],
  ] as const)('%s', async (_name, journey, accounts, step, cls, message) => {
    const result = await fx.run(journey, fx.target({ params: PARAMS }), { accounts });
    expect([result.outcome, result.failure?.step, result.failure?.class], describe(result)).toEqual([
      'failure',
      step,
      cls,
    ]);
    expect(result.failure?.message).toMatch(message);
    for (const password of passwords) expect(JSON.stringify(result)).not.toContain(password);
  });
});

it('a bad target param fails the run at once as a prober error naming the param', async () => {
  const result = await fx.run(purchase, fx.target({ params: { ...PARAMS, purchaseSeats: 'many' } }));
  expect([result.outcome, result.failure?.step, result.failure?.class], describe(result)).toEqual([
    'error',
    'journey',
    'script',
  ]);
  expect(result.failure?.message).toMatch(
    /TargetParamError: target param "purchaseSeats" must be a whole number/,
  );
  expect(result.steps.every((s) => s.outcome === 'skipped')).toBe(true);
});
