import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import purchase from '../../../journeys/purchase.journey.js';
import renewal from '../../../journeys/renewal.journey.js';
import seatChange from '../../../journeys/seat-change.journey.js';
import { describe, requestsOf, startJourneyFixture, type JourneyFixture } from './fixture.js';

let fx: JourneyFixture;
beforeAll(async () => {
  fx = await startJourneyFixture();
});
afterAll(async () => {
  await fx?.stop();
});

suite('the three journeys on the sandbox', () => {
  for (const journey of [purchase, seatChange, renewal]) {
    it(`${journey.name} succeeds, every declared step passes, and the sandbox saw its header on the target's origins`, async () => {
      const result = await fx.run(journey);
      expect(result.outcome, describe(result)).toBe('success');
      expect(result.steps.map((s) => s.name)).toEqual(journey.steps);
      expect(result.steps.every((s) => s.outcome === 'success')).toBe(true);
      expect(result.annotations.confirmRetries).toBe(0);
      expect(result.cleanupFailures).toBe(0);
      const seen = await requestsOf(fx, result);
      expect(seen.length).toBeGreaterThan(5);
      expect(seen.some((r) => r.origin === 'gitlab')).toBe(true);
      expect(seen.some((r) => r.origin === 'payment')).toBe(true);
      // The payment provider is a third party: never tagged (trace-context.test.ts).
      const tagged = seen.map((r) => (r.origin === 'payment' ? r.synthetic === undefined : r.synthetic));
      expect(tagged).toEqual(seen.map((r) => r.origin === 'payment' || `${journey.name}/${result.runId}`));
    });
  }
});
