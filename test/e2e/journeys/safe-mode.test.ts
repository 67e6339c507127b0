import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import purchase from '../../../journeys/purchase.journey.js';
import renewal from '../../../journeys/renewal.journey.js';
import seatChange from '../../../journeys/seat-change.journey.js';
import { describe, requestsOf, startJourneyFixture, type JourneyFixture } from './fixture.js';
import { quick } from './fault-cases.js';

/** The sandbox configured like production: purchases not allowed, so mutating journeys run in safe mode. */
let fx: JourneyFixture;
beforeAll(async () => {
  fx = await startJourneyFixture();
});
afterEach(async () => {
  await fx.clearFaults();
});
afterAll(async () => {
  await fx?.stop();
});

const LIKE_PRODUCTION = { allowPurchases: false, params: { paymentFormTimeoutMs: '5000' } };

it.each([
  [
    'purchase',
    purchase,
    ['sign in', 'subscription details', 'billing address', 'payment'],
    'POST /api/price_preview/new',
  ],
  [
    'seat-change',
    seatChange,
    ['sign in', 'open subscription', 'add seats', 'payment'],
    'POST /api/price_preview/extra_seats',
  ],
  [
    'renewal',
    renewal,
    ['sign in', 'open subscription', 'renew', 'payment'],
    'POST /api/price_preview/renewal',
  ],
] as const)(
  '%s in safe mode: every step up to confirmation checked, no card sent, no order',
  async (_name, journey, checked, preview) => {
    const result = await fx.run(journey, fx.target(LIKE_PRODUCTION));
    expect(result.outcome, describe(result)).toBe('success');
    expect(result.safeMode).toBe(true);
    expect(result.annotations.safeMode).toBe(true);
    expect(result.steps.filter((s) => s.outcome === 'success').map((s) => s.name)).toEqual(checked);
    expect(result.steps.filter((s) => s.outcome === 'skipped').map((s) => s.name)).toEqual(
      journey.steps!.slice(checked.length),
    );

    const seen = (await requestsOf(fx, result)).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(seen).toContain(`${preview} 200`);
    expect(seen).toContain('GET /hpm/page 200');
    expect(
      seen.filter((r) => r.startsWith('POST /api/orders/') || r.startsWith('POST /hpm/submit')),
      seen.join('\n'),
    ).toEqual([]);
    expect(
      seen.filter((r) => r.includes('/auto_renew')),
      'no cleanup: nothing was created',
    ).toEqual([]);
  },
);

it('safe mode still checks the money: a wrong price fails the run', async () => {
  await fx.setFaults([{ pricing: 'wrong' }]);
  const result = await fx.run(quick(purchase), fx.target(LIKE_PRODUCTION));
  expect([result.outcome, result.failure?.step, result.failure?.class], describe(result)).toEqual([
    'failure',
    'subscription details',
    'assertion',
  ]);
});

it('safe mode still checks the payment form: a form that fails to load fails the run', async () => {
  await fx.setFaults([{ payment: 'form_down' }]);
  const result = await fx.run(quick(seatChange), fx.target(LIKE_PRODUCTION));
  expect([result.outcome, result.failure?.step, result.failure?.class], describe(result)).toEqual([
    'failure',
    'payment',
    'payment_form',
  ]);
});

it('a full run cleans up: the purchased subscription is cancelled through the actions menu', async () => {
  const result = await fx.run(purchase, fx.target());
  expect(result.outcome, describe(result)).toBe('success');
  expect(result.cleanupFailures).toBe(0);
  const seen = (await requestsOf(fx, result)).map((r) => `${r.method} ${r.path} ${r.status}`);
  expect(seen.filter((r) => r.startsWith('POST /api/orders/new'))).toEqual(['POST /api/orders/new 201']);
  expect(
    // Today's portal cancels through the dialog (a reason, then a second confirmation).
    seen.some((r) => /^POST \/subscriptions\/A-S\d+\/cancel 30\d$/.test(r)),
    seen.join('\n'),
  ).toBe(true);
});
