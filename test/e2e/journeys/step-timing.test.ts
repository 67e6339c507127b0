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
const STEP = 'sign in';
/** Runs with and without the fault; the fastest of five is stable even on a busy machine. */
const PAIRS = 5;

type Fastest = Map<string, number>;

async function runOnce(into: Fastest, results: RunResult[]): Promise<void> {
  const result = await fx.run(purchase);
  expect(result.outcome, describe(result)).toBe('success');
  results.push(result);
  for (const s of result.steps) into.set(s.name, Math.min(into.get(s.name) ?? Infinity, s.durationMs));
}

it(`${LATENCY_MS} ms of latency on the sign-in page grows "${STEP}" by that much, and no other step`, async () => {
  await runOnce(new Map(), []); // warm-up: the first run pays for the browser launch
  // Runs with and without the fault alternate, and each step's fastest run counts: a busy
  // 2-core machine slows runs at random, rarely all of them.
  const baseline: Fastest = new Map();
  const slowed: Fastest = new Map();
  const slowedResults: RunResult[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    await runOnce(baseline, []);
    // The sign-in page is the run's first request: no earlier work can overlap the wait.
    // count 1: the GET only, not the POST of the same path.
    await fx.setFaults([{ match: '/customers/sign_in', latencyMs: LATENCY_MS, count: 1 }]);
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

  // What the server spent on the page is inside what the prober measured for the step.
  for (const result of slowedResults) {
    const page = (await requestsOf(fx, result)).filter(
      (r) => r.path === '/customers/sign_in' && r.faults !== undefined,
    );
    expect(page).toHaveLength(1);
    expect(page[0]!.durationMs).toBeGreaterThanOrEqual(LATENCY_MS);
    expect(page[0]!.faults).toEqual([`latency:${LATENCY_MS}`]);
    const step = result.steps.find((s) => s.name === STEP)!;
    expect(step.durationMs).toBeGreaterThanOrEqual(page[0]!.durationMs);
  }
}, 300_000);
