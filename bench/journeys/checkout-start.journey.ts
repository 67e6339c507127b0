import { defineJourney, expect } from 'journey-prober';

/**
 * The overhead benchmark's journey: sign in, the subscriptions page, checkout step 1.
 * Written the same way as its twins (bench/lib/bare-journey.ts for bare Playwright,
 * bench/.elastic/journeys/checkout-start.journey.ts for @elastic/synthetics): the same
 * actions and web-first assertions, so only the machinery around them differs.
 */
export default defineJourney({
  name: 'checkout-start',
  description: 'Benchmark: sign in, subscriptions page, open checkout step 1',
  tags: ['bench'],
  accountState: 'active',
  steps: ['sign in', 'subscriptions page', 'checkout step 1'],
  timeoutMs: 60_000,
  stepTimeoutMs: 30_000,
  async run({ page, target, step, account }) {
    const baseUrl = target.baseUrl;
    await step('sign in', async () => {
      await page.goto(`${baseUrl}/customers/sign_in`);
      await page.getByLabel('Email', { exact: true }).fill(account.email);
      await page.getByLabel('Password', { exact: true }).fill(account.password.reveal());
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    });
    await step('subscriptions page', async () => {
      await page.goto(`${baseUrl}/subscriptions`);
      await expect(page.getByRole('heading', { name: 'Manage your subscriptions' })).toBeVisible();
    });
    await step('checkout step 1', async () => {
      await page.getByTestId('buy-subscription').click();
      await expect(page.getByTestId('plan-name')).toBeVisible();
    });
  },
});
