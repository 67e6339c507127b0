import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { expect, type Browser } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';

/** Premium's catalogue id, as `plan_id` carries it (the sandbox uses the staging catalogue's). */
export const PREMIUM_PLAN_ID = '2c92a00d76f0d5060176f2fb0a5029ff';

/** A fresh two-factor sandbox account, as the prober's account provider gets one for every run. */
export interface SandboxAccount {
  readonly username: string;
  readonly password: string;
  readonly otpSecret: string;
  /** A top-level group of the account with no subscription: what checkout step 1 buys for. */
  readonly groupId: number;
}

export async function sandboxAccount(baseUrl: string): Promise<SandboxAccount> {
  const response = await fetch(`${baseUrl}/__sandbox/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'none', twoFactor: true }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`sandbox account: HTTP ${response.status}`);
  return (await response.json()) as SandboxAccount;
}

/**
 * The floor of the overhead benchmark: bench/journeys/checkout-start.journey.ts as a bare
 * Playwright script on a warm browser, a fresh context per run (with the context options
 * the runner uses), no steps, timing, evidence or tracing: sign in through GitLab.com's
 * OAuth (login, TOTP code, consent), the subscriptions page, checkout step 1. Throws when
 * the journey fails.
 */
export async function bareCheckoutStart(
  browser: Browser,
  baseUrl: string,
): Promise<{ readonly checkoutStepMs: number }> {
  const account = await sandboxAccount(baseUrl);
  const context = await browser.newContext({
    extraHTTPHeaders: { 'X-Synthetic-Journey': `checkout-start/${randomUUID()}` },
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(30_000);
  try {
    const page = await context.newPage();
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
    await page.goto(`${baseUrl}/subscriptions`);
    await expect(page.getByRole('heading', { name: 'Subscriptions & purchases' })).toBeVisible();
    // Timed like the prober's step "checkout step 1", for the fidelity benchmark.
    const t0 = performance.now();
    await page.goto(
      `${baseUrl}/subscriptions/new?gl_namespace_id=${account.groupId}&plan_id=${PREMIUM_PLAN_ID}`,
    );
    await expect(page.getByTestId('plan-name')).toBeVisible();
    return { checkoutStepMs: performance.now() - t0 };
  } finally {
    await context.close();
  }
}
