import { defineJourney, expect as pwExpect, type Page } from '../../../src/index.js';
import type { Journey } from '../../../src/journey/types.js';

/** Signs in with the account's password typed by fill(): every journey here starts so. */
async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await pwExpect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible({ timeout: 15_000 });
}

/**
 * `checkout`: passes while `shouldFail()` is false; when true it fails after sign-in, on
 * a page whose script gets a 500 (a console error and a failed request for the evidence).
 */
export function checkoutJourney(shouldFail: () => boolean): Journey {
  return defineJourney({
    name: 'checkout',
    description: 'signs in, opens the account, loads the plan widget',
    stepTimeoutMs: 20_000,
    steps: ['sign in', 'open account', 'load plan'],
    async run({ page, step, target, account }) {
      await step('sign in', () => signIn(page, target.baseUrl, account.email, account.password.reveal()));
      await step('open account', async () => {
        await page.goto(`${target.baseUrl}/account`);
        await pwExpect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible({ timeout: 15_000 });
      });
      await step('load plan', async () => {
        const path = shouldFail() ? '/xhr-fail' : '/ok';
        await page.goto(`${target.baseUrl}${path}`);
        await pwExpect(page.locator('h1')).toHaveText(/Welcome|Loaded/, { timeout: 2_000 });
      });
    },
  });
}

/** `sign-in`: always passes. */
export const signInJourney: Journey = defineJourney({
  name: 'sign-in',
  description: 'signs in and sees the account page',
  stepTimeoutMs: 20_000,
  async run({ page, step, target, account }) {
    await step('sign in', () => signIn(page, target.baseUrl, account.email, account.password.reveal()));
  },
});

/** `renew-banner`: its first attempt of each run gets a 503, the retry passes: flaky. */
export const flakyJourney: Journey = defineJourney({
  name: 'renew-banner',
  description: 'signs in, then opens a page that fails once per run',
  stepTimeoutMs: 20_000,
  async run({ page, step, target, account, runId }) {
    await step('sign in', () => signIn(page, target.baseUrl, account.email, account.password.reveal()));
    await step('open banner', async () => {
      await page.goto(`${target.baseUrl}/flaky/${runId}`);
      await pwExpect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible({ timeout: 2_000 });
    });
  },
});
