import { expect, journey, step } from '@elastic/synthetics';

/**
 * The overhead benchmark's journey for the @elastic/synthetics runner: the same actions as
 * bench/journeys/checkout-start.journey.ts (the prober) and bench/lib/bare-journey.ts (bare
 * Playwright). `params.url` is the sandbox portal; a fresh account per run, as the others.
 */
journey('checkout-start', ({ page, params }) => {
  const baseUrl = String(params.url);
  let email = '';
  let password = '';

  step('account', async () => {
    const response = await fetch(`${baseUrl}/__sandbox/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'active' }),
    });
    const body = (await response.json()) as { email: string; password: string };
    email = body.email;
    password = body.password;
  });

  step('sign in', async () => {
    await page.goto(`${baseUrl}/customers/sign_in`);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  });

  step('subscriptions page', async () => {
    await page.goto(`${baseUrl}/subscriptions`);
    await expect(page.getByRole('heading', { name: 'Manage your subscriptions' })).toBeVisible();
  });

  step('checkout step 1', async () => {
    await page.getByTestId('buy-subscription').click();
    await expect(page.getByTestId('plan-name')).toBeVisible();
  });
});
