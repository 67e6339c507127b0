import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { expect, type Browser } from '@playwright/test';

/** A fresh sandbox account, as the prober's account provider gets one for every run. */
export async function sandboxAccount(
  baseUrl: string,
  state: string,
): Promise<{ email: string; password: string }> {
  const response = await fetch(`${baseUrl}/__sandbox/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ state }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`sandbox account: HTTP ${response.status}`);
  return (await response.json()) as { email: string; password: string };
}

/**
 * The floor of the overhead benchmark: bench/journeys/checkout-start.journey.ts as a bare
 * Playwright script on a warm browser, a fresh context per run (with the context options
 * the runner uses), no steps, timing, evidence or tracing. Throws when the journey fails.
 */
export async function bareCheckoutStart(
  browser: Browser,
  baseUrl: string,
): Promise<{ readonly checkoutStepMs: number }> {
  const account = await sandboxAccount(baseUrl, 'active');
  const context = await browser.newContext({
    extraHTTPHeaders: { 'X-Synthetic-Journey': `checkout-start/${randomUUID()}` },
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(30_000);
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/customers/sign_in`);
    await page.getByLabel('Email', { exact: true }).fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await page.goto(`${baseUrl}/subscriptions`);
    await expect(page.getByRole('heading', { name: 'Manage your subscriptions' })).toBeVisible();
    // Timed like the prober's step "checkout step 1", for the fidelity benchmark.
    const t0 = performance.now();
    await page.getByTestId('buy-subscription').click();
    await expect(page.getByTestId('plan-name')).toBeVisible();
    return { checkoutStepMs: performance.now() - t0 };
  } finally {
    await context.close();
  }
}
