import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { testPool } from '../helpers/browser.js';
import { confirmWith, newAccount, payWith, signIn } from './helpers.js';

/** A fixed clock: the active account's term runs 2025-03-07 .. 2026-03-07 (100 days in). */
const NOW = new Date('2025-06-15T12:00:00Z');

let sandbox: Sandbox;
let pool: BrowserPool;

beforeAll(async () => {
  sandbox = await startSandbox({ provisioningDelayMs: 100, now: () => NOW });
  pool = testPool();
  await pool.launch();
});

afterAll(async () => {
  await pool?.close();
  await sandbox?.close();
});

async function withPage(fn: (page: Page) => Promise<void>): Promise<void> {
  const context = await pool.newContext();
  try {
    await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

function card(page: Page): ReturnType<Page['locator']> {
  return page.locator('[data-testid^="subscription-card-"]');
}

describe('sandbox: add seats', () => {
  it('charges the prorated net change to the cent and updates the card and invoices', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'active');
      await signIn(page, sandbox, account);
      await expect(card(page).getByTestId('seats-in-subscription')).toHaveText('5');
      await card(page).getByRole('link', { name: 'Add seats' }).click();
      await page.getByLabel('Number of additional users').fill('3');
      const summary = page.getByTestId('order-summary');
      // 265 of 365 days left: one seat = round(22800 * 265 / 365) = 16553 cents.
      await expect(summary.getByTestId('prorated-days')).toHaveText('265 of 365 days');
      await expect(summary.getByTestId('all-seats-price')).toHaveText('$1,324.24');
      await expect(summary.getByTestId('credit')).toHaveText('-$827.65');
      await expect(summary.getByTestId('total-amount')).toHaveText('$496.59');
      await expect(summary.getByTestId('selected-plan')).toHaveText('Premium plan (x8)');
      await expect(page.getByTestId('net-change-note')).toContainText(
        'You are only charged for the net change',
      );
      await page.getByRole('button', { name: 'Continue to payment' }).click();
      await payWith(page);
      await confirmWith(page, 'Purchase seats');
      await expect(page.getByTestId('flash-notice')).toHaveText(
        'Seats added. Your subscription was updated.',
      );
      await expect(card(page).getByTestId('seats-in-subscription')).toHaveText('8');
      await page.getByRole('link', { name: 'Invoices' }).click();
      await expect(page.getByTestId('invoice-amount')).toHaveText('$496.59');
    });
  });

  it('refuses seats for reseller and multi-year subscriptions', async () => {
    for (const [state, message] of [
      ['reseller', 'purchased through a reseller'],
      ['multi_year', 'multi-year subscription'],
    ] as const) {
      await withPage(async (page) => {
        const account = await newAccount(sandbox, state);
        await signIn(page, sandbox, account);
        await card(page).getByRole('link', { name: 'Add seats' }).click();
        expect(new URL(page.url()).pathname).toBe(`/gitlab/namespaces/${account.groupId}/extra_seats`);
        await expect(page.getByTestId('error-message')).toContainText(message);
        await expect(page.getByLabel('Number of additional users')).toHaveCount(0);
      });
    }
  });
});

describe('sandbox: renew', () => {
  it('offers Renew only from 15 days before expiry, with a clear refusal before', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'active');
      await signIn(page, sandbox, account);
      await expect(card(page).getByRole('link', { name: 'Renew' })).toHaveCount(0);
      await card(page).getByRole('button', { name: 'Subscription actions' }).click();
      await expect(card(page).getByRole('menuitem', { name: 'Renew subscription' })).toBeDisabled();
      await expect(card(page).getByTestId('renewal-opens')).toHaveText('Renewal opens on Feb 20, 2026');
      const response = await page.goto(`${sandbox.portalUrl}/gitlab/namespaces/${account.groupId}/renew`);
      expect(response?.status()).toBe(409);
      await expect(page.getByTestId('error-message')).toContainText('can be renewed from Feb 20, 2026');
    });
  });

  it('renews for a year from the old end date, seats at least the seats in use', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'renewable');
      await signIn(page, sandbox, account);
      await expect(card(page).getByTestId('subscription-renewal-status')).toHaveText(
        'Expires on Jun 25, 2025',
      );
      await card(page).getByRole('button', { name: 'Subscription actions' }).click();
      await card(page).getByRole('menuitem', { name: 'Renew subscription' }).click();
      expect(new URL(page.url()).pathname).toBe(`/gitlab/namespaces/${account.groupId}/renew`);
      await page.getByLabel('Seats', { exact: true }).fill('2');
      await expect(page.getByTestId('seats-error')).toHaveText('Must be 3 (your seats in use) or more.');
      await expect(page.getByRole('button', { name: 'Continue to payment' })).toBeDisabled();
      await page.getByLabel('Seats', { exact: true }).fill('4');
      await expect(page.getByTestId('dates')).toHaveText('Jun 25, 2025 - Jun 25, 2026');
      await expect(page.getByTestId('total-amount')).toHaveText('$912.00');
      await page.getByRole('button', { name: 'Continue to payment' }).click();
      await payWith(page);
      await confirmWith(page, 'Renew subscription');
      await expect(page.getByTestId('flash-notice')).toHaveText('Your subscription was renewed.');
      await expect(card(page).getByTestId('term-end')).toHaveText('Jun 25, 2026');
      await expect(card(page).getByTestId('seats-in-subscription')).toHaveText('4');
      await expect(card(page).getByRole('link', { name: 'Renew' })).toHaveCount(0);
    });
  });

  it('turns auto-renew off through the cancel dialog (a reason, a comment, a second confirmation) and on again', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'active');
      await signIn(page, sandbox, account);
      await expect(card(page).getByTestId('subscription-renewal-status')).toHaveText(
        'Auto-renews on Mar 7, 2026',
      );
      await card(page).getByRole('button', { name: 'Subscription actions' }).click();
      await card(page).getByRole('menuitem', { name: 'Cancel subscription' }).click();
      const dialog = page.getByRole('dialog', { name: 'Cancel subscription' });
      await expect(dialog).toBeVisible();
      const confirm = dialog.getByRole('button', { name: 'Cancel subscription' });
      await expect(confirm).toBeDisabled(); // no reason chosen yet
      await dialog.getByLabel('Reason for cancelling').selectOption({ label: 'Too expensive' });
      await dialog.getByLabel('Would you like to add anything?').fill('Probing the sandbox.');
      await confirm.click();
      await expect(page.getByTestId('flash-notice')).toHaveText(
        'Your subscription was cancelled: it will not renew.',
      );
      await expect(card(page).getByTestId('subscription-renewal-status')).toHaveText(
        'Expires on Mar 7, 2026',
      );
      await card(page).getByRole('button', { name: 'Subscription actions' }).click();
      await card(page).getByRole('menuitem', { name: 'Turn on auto-renew' }).click();
      await expect(card(page).getByTestId('subscription-renewal-status')).toHaveText(
        'Auto-renews on Mar 7, 2026',
      );
    });
  });
});

describe('sandbox: concurrent accounts', () => {
  it('two contexts adding seats at once do not see or change each other', async () => {
    const [a, b] = await Promise.all([newAccount(sandbox, 'active'), newAccount(sandbox, 'active')]);
    const walk = (account: typeof a, extra: number): Promise<void> =>
      withPage(async (page) => {
        await signIn(page, sandbox, account, `/gitlab/namespaces/${account.groupId}/extra_seats`);
        await page.getByLabel('Number of additional users').fill(String(extra));
        await page.getByRole('button', { name: 'Continue to payment' }).click();
        await payWith(page);
        await confirmWith(page, 'Purchase seats');
        await expect(card(page)).toHaveCount(1);
        await expect(card(page).getByTestId('subscription-id')).toHaveText(account.subscriptionId!);
        await expect(card(page).getByTestId('seats-in-subscription')).toHaveText(String(5 + extra));
        await page.getByRole('link', { name: 'Invoices' }).click();
        await expect(page.locator('[data-testid^="invoice-row-"]')).toHaveCount(1);
      });
    await Promise.all([walk(a, 1), walk(b, 4)]);
  });
});

describe('sandbox: a card on file', () => {
  it('adds seats with "Select existing card": no payment form to fill', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'active');
      await signIn(page, sandbox, account, `/gitlab/namespaces/${account.groupId}/extra_seats`);
      await page.getByLabel('Number of additional users').fill('2');
      await page.getByRole('button', { name: 'Continue to payment' }).click();
      await expect(page.getByLabel('Select existing card')).toBeChecked();
      await expect(page.locator('iframe#z_hppm_iframe')).toHaveCount(0);
      await page.getByRole('button', { name: 'Use this card' }).click();
      await confirmWith(page, 'Purchase seats');
      await expect(card(page).getByTestId('seats-in-subscription')).toHaveText('7');
    });
  });
});
