import { defineJourney, expect } from 'journey-prober';
import { Secret, TOTP } from 'otpauth';

/** Premium's catalogue id, as `plan_id` carries it (the sandbox uses the staging catalogue's). */
const PREMIUM_PLAN_ID = '2c92a00d76f0d5060176f2fb0a5029ff';

/**
 * The overhead benchmark's journey: sign in through GitLab.com (login, TOTP code, consent),
 * the subscriptions page, checkout step 1. Written the same way as its twins
 * (bench/lib/bare-journey.ts for bare Playwright, bench/.elastic/journeys/checkout-start.journey.ts
 * for @elastic/synthetics): the same actions and web-first assertions, so only the machinery
 * around them differs. Needs a `sandbox-two-factor` target (a fresh account with a TOTP
 * secret and a free group per run).
 */
export default defineJourney({
  name: 'checkout-start',
  description: 'Benchmark: sign in via GitLab.com with TOTP, subscriptions page, open checkout step 1',
  tags: ['bench'],
  accountState: 'none',
  steps: ['sign in', 'subscriptions page', 'checkout step 1'],
  timeoutMs: 60_000,
  stepTimeoutMs: 30_000,
  async run({ page, target, step, account }) {
    const baseUrl = target.baseUrl;
    await step('sign in', async () => {
      const otpSecret = account.otpSecret?.reveal();
      if (account.username === undefined || otpSecret === undefined)
        throw new Error('checkout-start needs a two-factor sandbox account (accounts: sandbox-two-factor)');
      await page.goto(`${baseUrl}/customers/sign_in`);
      await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
      await page.locator('#user_login').fill(account.username);
      await page.locator('#user_password').fill(account.password.reveal());
      await page.getByRole('button', { name: 'Sign in' }).click();
      const totp = new TOTP({ secret: Secret.fromBase32(otpSecret), period: 30 });
      await page.locator('#user_otp_attempt').fill(totp.generate());
      await page.getByRole('button', { name: 'Verify code' }).click();
      await page.getByRole('button', { name: 'Authorize' }).click();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    });
    await step('subscriptions page', async () => {
      await page.goto(`${baseUrl}/subscriptions`);
      await expect(page.getByRole('heading', { name: 'Subscriptions & purchases' })).toBeVisible();
    });
    await step('checkout step 1', async () => {
      await page.goto(
        `${baseUrl}/subscriptions/new?gl_namespace_id=${account.groupId ?? ''}&plan_id=${PREMIUM_PLAN_ID}`,
      );
      await expect(page.getByTestId('plan-name')).toBeVisible();
    });
  },
});
