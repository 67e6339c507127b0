import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import { poll } from '../helpers/http.js';
import { FAULT_CASES, PARAMS, purchase, renewal, seatChange } from './fault-cases.js';
import { describe, requestsOf, startFixtureLanes, type FixtureLanes } from './fixture.js';

/**
 * The fault matrix (fault-cases.ts). Most cases wait (a hang until its timeout, provisioning),
 * so LANES cases run at once, each on a sandbox of its own (a sandbox's faults apply to every
 * request it serves) with one shared browser; a lane's faults are cleared before its next case.
 * Two, not more: at load 35+ four concurrent sign-ins outlived their (then 8 s) step bound.
 */
const LANES = 2;
let lanes: FixtureLanes;
beforeAll(async () => {
  lanes = await startFixtureLanes(LANES, { provisioningDelayMs: 300 });
});
afterAll(async () => {
  await lanes?.stop();
});

suite.concurrent('fault matrix: each sandbox fault gives the expected step and failure class', () => {
  it.each(FAULT_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) =>
    lanes.use(async (fx) => {
      await fx.setFaults(c.faults);
      const card = c.card === undefined ? {} : { card: { number: c.card } };
      const result = await fx.run(c.journey, fx.target({ params: { ...PARAMS, ...c.params }, ...card }));
      expect(result.outcome, describe(result)).toBe('failure');
      expect(result.failure?.step, describe(result)).toBe(c.step);
      expect(result.failure?.class, describe(result)).toBe(c.class);
      if (c.message) expect(result.failure?.message).toMatch(c.message);
      const index = result.steps.findIndex((s) => s.name === c.step);
      expect(
        result.steps.slice(0, index).every((s) => s.outcome === 'success'),
        describe(result),
      ).toBe(true);
      expect(
        result.steps.slice(index + 1).every((s) => s.outcome === 'skipped'),
        describe(result),
      ).toBe(true);
    }),
  );

  it.each([
    ['purchase', purchase],
    ['renewal', renewal],
  ] as const)('lock contention on %s: confirm is clicked again and the run succeeds', (_name, journey) =>
    lanes.use(async (fx) => {
      await fx.setFaults([{ payment: 'lock_contention' }]);
      const result = await fx.run(journey, fx.target({ params: PARAMS }));
      expect(result.outcome, describe(result)).toBe('success');
      expect(result.annotations.confirmRetries).toBeGreaterThanOrEqual(1);
    }),
  );

  it.each([
    ['a 503', { match: 'cancel', status: 503 }],
    ['a hang', { match: 'cancel', hang: true }],
  ] as const)(
    'a cancel dialog failing with %s: the purchase passes and its cleanup failure is counted',
    (_name, fault) =>
      lanes.use(async (fx) => {
        await fx.setFaults([fault]);
        const result = await fx.run(purchase, fx.target({ params: PARAMS }));
        expect(result.outcome, describe(result)).toBe('success');
        expect(result.cleanupFailures, describe(result)).toBe(1);
        // The sandbox logs a request when its connection closes: a hung one once the run's
        // context is closed, which may be a moment after the result.
        const cancels = await poll(
          'the cleanup to have reached the cancel dialog (the request log)',
          async () => {
            const found = (await requestsOf(fx, result)).filter((r) => r.step === 'cancel');
            return found.length > 0 ? found : undefined;
          },
          15_000,
          250,
        );
        expect(cancels.length, 'the cleanup reached the cancel dialog').toBeGreaterThanOrEqual(1);
      }),
  );

  it('the lock-contention magic card also ends in success after a retry', () =>
    lanes.use(async (fx) => {
      const result = await fx.run(
        seatChange,
        fx.target({ params: PARAMS, card: { number: '4000 0000 0000 0119' } }),
      );
      expect(result.outcome, describe(result)).toBe('success');
      expect(result.annotations.confirmRetries).toBe(1);
    }));

  it('a decline magic card fails the payment step as payment_declined', () =>
    lanes.use(async (fx) => {
      const result = await fx.run(
        purchase,
        fx.target({ params: PARAMS, card: { number: '4000 0000 0000 0002' } }),
      );
      expect([result.failure?.step, result.failure?.class], describe(result)).toEqual([
        'payment',
        'payment_declined',
      ]);
    }));
});
