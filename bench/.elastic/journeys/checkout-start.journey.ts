import { expect, journey, step } from '@elastic/synthetics';
import { Secret, TOTP } from 'otpauth';

/** Premium's catalogue id, as `plan_id` carries it (the sandbox uses the staging catalogue's). */
const PREMIUM_PLAN_ID = '2c92a00d76f0d5060176f2fb0a5029ff';

interface SandboxAccount {
  readonly username: string;
  readonly password: string;
  readonly otpSecret: string;
  readonly groupId: number;
}

/**
 * The overhead benchmark's journey for the @elastic/synthetics runner: the same actions as
 * bench/journeys/checkout-start.journey.ts (the prober) and bench/lib/bare-journey.ts (bare
 * Playwright). `params.url` is the sandbox portal; a fresh two-factor account per run, as the
 * others.
 */
journey('checkout-start', ({ page, params }) => {
  const baseUrl = String(params.url);
  let account: SandboxAccount | undefined;

  step('account', async () => {
    const response = await fetch(`${baseUrl}/__sandbox/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'none', twoFactor: true }),
    });
    if (!response.ok) throw new Error(`sandbox account: HTTP ${response.status}`);
    account = (await response.json()) as SandboxAccount;
  });

  step('sign in', async () => {
    if (account === undefined) throw new Error('no sandbox account');
    await page.goto(`${baseUrl}/customers/sign_in`);
    await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
    await page.locator('#user_login').fill(account.username);
    await page.locator('#user_password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const totp = new TOTP({ secret: Secret.fromBase32(account.otpSecret), period: 30 });
    await page.locator('#user_otp_attempt').fill(totp.generate());
    await page.getByRole('button', { name: 'Verify code' }).click();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  });

  step('subscriptions page', async () => {
    await page.goto(`${baseUrl}/subscriptions`);
    await expect(page.getByRole('heading', { name: 'Subscriptions & purchases' })).toBeVisible();
  });

  step('checkout step 1', async () => {
    if (account === undefined) throw new Error('no sandbox account');
    await page.goto(
      `${baseUrl}/subscriptions/new?gl_namespace_id=${account.groupId}&plan_id=${PREMIUM_PLAN_ID}`,
    );
    await expect(page.getByTestId('plan-name')).toBeVisible();
  });
});
