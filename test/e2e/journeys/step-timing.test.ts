import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import purchase from '../../../journeys/purchase.journey.js';
import type { RunResult } from '../../../src/journey/types.js';
import { describe, requestsOf, startJourneyFixture, type JourneyFixture } from './fixture.js';

/**
 * Step durations agree with the server: 1.5 s of injected latency on the page of ONE step
 * shows up in that step and no other. Provisioning is immediate here, so the provisioning
 * poll adds no wait of its own to compare.
 */
let fx: JourneyFixture;
beforeAll(async () => {
  fx = await startJourneyFixture({ provisioningDelayMs: 0 });
});
afterEach(async () => {
  await fx.clearFaults();
});
afterAll(async () => {
  await fx?.stop();
});

const LATENCY_MS = 1_500;
const STEP = 'subscription details';

type Fastest = Map<string, number>;

async function runOnce(into: Fastest, results: RunResult[]): Promise<void> {
  const result = await fx.run(purchase);
  expect(result.outcome, describe(result)).toBe('success');
  results.push(result);
  for (const s of result.steps) into.set(s.name, Math.min(into.get(s.name) ?? Infinity, s.durationMs));
}

it(`${LATENCY_MS} ms of latency on the checkout page grows "${STEP}" by that much, and no other step`, async () => {
  await runOnce(new Map(), []); // warm-up: the first run pays for the browser launch
  // Runs with and without the fault alternate, and each step's fastest run counts: a busy
  // 2-core machine slows runs at random, rarely all of them.
  const baseline: Fastest = new Map();
  const slowed: Fastest = new Map();
  const slowedResults: RunResult[] = [];
  for (let pair = 0; pair < 3; pair++) {
    await runOnce(baseline, []);
    await fx.setFaults([{ match: '/subscriptions/new', latencyMs: LATENCY_MS }]);
    await runOnce(slowed, slowedResults);
    await fx.clearFaults();
  }

  const growth = (name: string): number => slowed.get(name)! - baseline.get(name)!;
  expect(growth(STEP)).toBeGreaterThanOrEqual(LATENCY_MS - 100);
  expect(growth(STEP)).toBeLessThan(LATENCY_MS + 1_500);
  for (const name of purchase.steps!.filter((n) => n !== STEP)) {
    expect(Math.abs(growth(name)), `step "${name}" changed by ${Math.round(growth(name))} ms`).toBeLessThan(
      500,
    );
  }

  // What the server spent on the page is inside what the prober measured for the step.
  for (const result of slowedResults) {
    const page = (await requestsOf(fx, result)).filter(
      (r) => r.method === 'GET' && r.path === '/subscriptions/new',
    );
    expect(page).toHaveLength(1);
    expect(page[0]!.durationMs).toBeGreaterThanOrEqual(LATENCY_MS);
    expect(page[0]!.faults).toEqual([`latency:${LATENCY_MS}`]);
    const step = result.steps.find((s) => s.name === STEP)!;
    expect(step.durationMs).toBeGreaterThanOrEqual(page[0]!.durationMs);
  }
});
