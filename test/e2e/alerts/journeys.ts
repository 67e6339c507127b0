import { join } from 'node:path';

/** The repository's own purchase journey, re-exported from the test's journeys directory. */
export const PURCHASE_JOURNEY = `export { default } from ${JSON.stringify(
  join(import.meta.dirname, '../../../journeys/purchase.journey.ts'),
)};\n`;

/**
 * A journey whose script has a bug: every run ends as outcome `error` (class `script`),
 * a prober problem that must reach the prober's owners and never page the portal's on-call.
 * It never loads a portal page, so a portal outage does not change what it does.
 */
export const ERRING_JOURNEY = `
import { defineJourney } from 'journey-prober';
export default defineJourney({
  name: 'erring',
  description: 'a journey script with a bug: the prober fails, not the portal',
  accountState: 'none',
  steps: ['read the plan'],
  async run({ step }) {
    await step('read the plan', async () => {
      const plan = JSON.parse('{}');
      return plan.name.toUpperCase();
    });
  },
});
`;

/**
 * A journey whose first attempt of every run fails and whose retry passes (with
 * `retries: 1`): every run is `flaky`, a good run for the SLO, so it must never page.
 * It renders its own page, so a portal outage does not change what it does.
 */
export const WOBBLY_JOURNEY = `
import { defineJourney, expect } from 'journey-prober';
let attempts = 0;
export default defineJourney({
  name: 'wobbly',
  description: 'fails the first attempt of every run, passes on the retry',
  accountState: 'none',
  steps: ['see the heading'],
  async run({ page, step }) {
    attempts += 1;
    const heading = attempts % 2 === 1 ? 'A heading that is not there' : 'Plans';
    await step('see the heading', async () => {
      await page.setContent('<h1>Plans</h1>');
      await expect(page.getByRole('heading', { name: heading })).toBeVisible({ timeout: 300 });
    });
  },
});
`;
