import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import purchase from '../../../journeys/purchase.journey.js';
import type { RunResult } from '../../../src/journey/types.js';
import { describe, requestsOf, startJourneyFixture, type JourneyFixture } from './fixture.js';

/**
 * Step durations agree with the server: 1.5 s of injected latency on the request of ONE step
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
const STEP = 'confirm';
/** Runs with and without the fault; the fastest of five is stable even on a busy machine. */
const PAIRS = 5;

type Fastest = Map<string, number>;

async function runOnce(into: Fastest, results: RunResult[]): Promise<void> {
  const result = await fx.run(purchase);
  expect(result.outcome, describe(result)).toBe('success');
  results.push(result);
  for (const s of result.steps) into.set(s.name, Math.min(into.get(s.name) ?? Infinity, s.durationMs));
}

it(`${LATENCY_MS} ms of latency on the order request grows "${STEP}" by that much, and no other step`, async () => {
  await runOnce(new Map(), []); // warm-up: the first run pays for the browser launch
  // Runs with and without the fault alternate, and each step's fastest run counts: a busy
  // 2-core machine slows runs at random, rarely all of them.
  const baseline: Fastest = new Map();
  const slowed: Fastest = new Map();
  const slowedResults: RunResult[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    await runOnce(baseline, []);
    // The order request: the page does nothing else while it waits for the answer, so the
    // wait adds up exactly (a page load would overlap it with the browser's own work).
    await fx.setFaults([{ match: 'confirm', latencyMs: LATENCY_MS }]);
    await runOnce(slowed, slowedResults);
    await fx.clearFaults();
  }

  const growth = (name: string): number => slowed.get(name)! - baseline.get(name)!;
  const seen = `"${STEP}" fastest ${Math.round(baseline.get(STEP)!)} ms without, ${Math.round(slowed.get(STEP)!)} ms with the fault`;
  console.info(
    `step timing: ${seen}; others changed by ${purchase
      .steps!.filter((n) => n !== STEP)
      .map((n) => `${n} ${Math.round(growth(n))}`)
      .join(', ')} ms`,
  );
  expect(growth(STEP), seen).toBeGreaterThanOrEqual(LATENCY_MS - 100);
  expect(growth(STEP), seen).toBeLessThan(LATENCY_MS + 1_500);
  for (const name of purchase.steps!.filter((n) => n !== STEP)) {
    expect(Math.abs(growth(name)), `step "${name}" changed by ${Math.round(growth(name))} ms`).toBeLessThan(
      500,
    );
  }

  // What the server spent on the order is inside what the prober measured for the step.
  for (const result of slowedResults) {
    const order = (await requestsOf(fx, result)).filter(
      (r) => r.method === 'POST' && r.path === '/api/orders/new',
    );
    expect(order).toHaveLength(1);
    expect(order[0]!.durationMs).toBeGreaterThanOrEqual(LATENCY_MS);
    expect(order[0]!.faults).toEqual([`latency:${LATENCY_MS}`]);
    const step = result.steps.find((s) => s.name === STEP)!;
    expect(step.durationMs).toBeGreaterThanOrEqual(order[0]!.durationMs);
  }
}, 300_000);
