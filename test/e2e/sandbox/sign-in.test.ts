import type { BrowserContext, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { currentOtp, startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { testPool } from '../helpers/browser.js';
import { control, newAccount, signIn } from './helpers.js';

let sandbox: Sandbox;
let pool: BrowserPool;

beforeAll(async () => {
  sandbox = await startSandbox({ provisioningDelayMs: 100 });
  pool = testPool();
  await pool.launch();
});

afterAll(async () => {
  await pool?.close();
  await sandbox?.close();
});

async function withPage(fn: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await pool.newContext();
  try {
    await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

describe('sandbox: sign in through GitLab.com', () => {
  it('without two-factor: wrong password refused, consent once, back where asked, sign out', async () => {
    await withPage(async (page, context) => {
      const account = await newAccount(sandbox, 'active');
      await page.goto(`${sandbox.portalUrl}/invoices`);
      expect(new URL(page.url()).pathname).toBe('/customers/sign_in');
      await expect(page.getByTestId('flash-alert')).toHaveText(
        'You need to sign in or sign up before continuing.',
      );
      await page.getByRole('button', { name: 'Sign in with your email' }).click();
      await expect(page.getByTestId('flash-alert')).toHaveText(
        'Signing in with an email link is not supported in the sandbox.',
      );
      await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
      expect(new URL(page.url()).origin).toBe(sandbox.gitlabUrl);
      await expect(page.getByLabel('Username or primary email')).toBeVisible();
      await page.locator('#user_login').fill(account.username);
      await page.locator('#user_password').fill('not-the-password');
      const [wrong] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      expect(wrong.status()).toBe(401);
      await expect(page.getByTestId('flash-alert')).toHaveText('Invalid login or password.');
      await expect(page.locator('body')).not.toContainText('not-the-password');
      await page.locator('#user_login').fill(account.email); // the primary email works too
      await page.locator('#user_password').fill(account.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(
        page.getByRole('heading', { name: 'Authorize Customers Portal to use your account?' }),
      ).toBeVisible();
      await page.getByRole('button', { name: 'Authorize' }).click();
      await expect(page).toHaveURL(`${sandbox.portalUrl}/invoices`);
      await expect(page.getByTestId('signed-in-as')).toHaveText(account.username);
      const cookies = await context.cookies();
      for (const name of ['_customers_dot_session', '_gitlab_session']) {
        const cookie = cookies.find((c) => c.name === name);
        expect(cookie?.httpOnly, name).toBe(true);
        expect(cookie?.value.length).toBeGreaterThanOrEqual(32);
      }
      expect(cookies.find((c) => c.name === '_customers_dot_oauth_state')).toBeUndefined();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.getByTestId('flash-notice')).toHaveText('Signed out successfully.');
      // Still signed in on GitLab.com, consent given: one click, no form, no consent page.
      await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
      await expect(page.getByTestId('signed-in-as')).toHaveText(account.username);
    });
  });

  it('with two-factor: a wrong code and a reused code are refused, the right one signs in', async () => {
    const account = await newAccount(sandbox, 'none', { twoFactor: true });
    expect(account.otpSecret).toMatch(/^[A-Z2-7]{32}$/);
    const code = currentOtp(account.otpSecret!);
    await withPage(async (page) => {
      await page.goto(`${sandbox.portalUrl}/subscriptions`);
      await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
      await page.locator('#user_login').fill(account.username);
      await page.locator('#user_password').fill(account.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
      const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
      await page.locator('#user_otp_attempt').fill(wrong);
      await page.getByRole('button', { name: 'Verify code' }).click();
      await expect(page.getByTestId('flash-alert')).toHaveText('Invalid two-factor code.');
      await page.locator('#user_otp_attempt').fill(code);
      await page.getByRole('button', { name: 'Verify code' }).click();
      await page.getByRole('button', { name: 'Authorize' }).click();
      await expect(page.getByTestId('signed-in-as')).toHaveText(account.username);
    });
    await withPage(async (page) => {
      await page.goto(`${sandbox.portalUrl}/subscriptions`);
      await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
      await page.locator('#user_login').fill(account.username);
      await page.locator('#user_password').fill(account.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#user_otp_attempt').fill(code); // already used
      await page.getByRole('button', { name: 'Verify code' }).click();
      await expect(page.getByTestId('flash-alert')).toHaveText('Invalid two-factor code.');
    });
  });

  it('refuses a tampered OAuth state with a visible error', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'none');
      await page.goto(`${sandbox.portalUrl}/subscriptions`);
      await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
      await page.locator('#user_login').fill(account.username);
      await page.locator('#user_password').fill(account.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // What the browser carries back to the portal is changed on its way.
      await page.locator('input[name=state]').evaluate((input) => {
        (input as unknown as { value: string }).value = 'tampered';
      });
      const [callback] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/auth/gitlab/callback')),
        page.getByRole('button', { name: 'Authorize' }).click(),
      ]);
      expect(callback.status()).toBe(422);
      await expect(page.getByTestId('error-message')).toHaveText(
        'Sign-in failed: the request could not be verified (state mismatch). Please try again.',
      );
      await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
    });
  });

  it('an expired portal session asks again; GitLab.com signs straight back in until its own expires', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'active');
      await signIn(page, sandbox, account);
      const expire = (origin?: string) =>
        control<{ expired: number }>(sandbox, 'POST', '/__sandbox/sessions/expire', {
          username: account.username,
          ...(origin === undefined ? {} : { origin }),
        });
      expect((await expire('portal')).body).toEqual({ expired: 1 });
      await page.reload();
      await expect(page.getByTestId('flash-alert')).toHaveText('Your session expired. Please sign in again.');
      await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
      await expect(page.getByTestId('signed-in-as')).toHaveText(account.username);

      expect((await expire()).body).toEqual({ expired: 2 });
      await page.reload();
      await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
      await expect(page.locator('#user_login')).toBeVisible();
      await expect(page.getByTestId('flash-notice')).toHaveText(
        'Your session expired. Please sign in again to continue.',
      );
    });
  });
});
