/** Journey files the serve tests write to a temp dir: they import 'journey-prober' like any user's. */

/** Loads the sandbox's sign-in page: passes. */
export const OK_JOURNEY = `
import { defineJourney, expect } from 'journey-prober';
export default defineJourney({
  name: 'ok',
  description: 'the sign-in page loads',
  steps: ['open sign in'],
  async run({ page, target, step }) {
    await step('open sign in', async () => {
      await page.goto(target.baseUrl + '/customers/sign_in');
      await expect(page.getByRole('button', { name: 'Continue with GitLab.com account' })).toBeVisible();
    });
  },
});
`;

/** Fails every other run (the injected failure rate: exactly one half). */
export const ALTERNATING_JOURNEY = `
import { readFileSync, writeFileSync } from 'node:fs';
import { defineJourney, expect } from 'journey-prober';
// Counted in a file beside the journey: each run imports the module afresh in its own worker.
const counter = new URL('./alt.runs', import.meta.url);
export default defineJourney({
  name: 'alt',
  description: 'fails on every second run',
  steps: ['open sign in', 'check heading'],
  async run({ page, target, step }) {
    let runs = 1;
    try {
      runs += Number(readFileSync(counter, 'utf8'));
    } catch {
      /* the first run */
    }
    writeFileSync(counter, String(runs));
    const fails = runs % 2 === 0;
    await step('open sign in', async () => {
      await page.goto(target.baseUrl + '/customers/sign_in');
    });
    await step('check heading', async () => {
      if (fails) await expect(page.getByRole('heading', { name: 'A heading that is not there' })).toBeVisible({ timeout: 300 });
    });
  },
});
`;

/** Takes about \`ms\` per run, waiting in the page (no sleep in journey code). */
export const slowJourney = (ms: number): string => `
import { defineJourney } from 'journey-prober';
export default defineJourney({
  name: 'slow',
  description: 'takes about ${ms} ms',
  steps: ['open sign in', 'wait in page'],
  async run({ page, target, step }) {
    await step('open sign in', async () => {
      await page.goto(target.baseUrl + '/customers/sign_in');
    });
    await step('wait in page', async () => {
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, ${ms})));
    });
  },
});
`;
