import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { testPool } from '../helpers/browser.js';
import {
  checkoutPath,
  checkoutToPayment,
  confirmWith,
  control,
  newAccount,
  paymentFrame,
  payWith,
  signIn,
  ULTIMATE,
} from './helpers.js';

let sandbox: Sandbox;
let pool: BrowserPool;

beforeAll(async () => {
  sandbox = await startSandbox({ provisioningDelayMs: 1500 });
  pool = testPool();
  await pool.launch();
});

afterAll(async () => {
  await pool?.close();
  await sandbox?.close();
});

async function withPage<T>(fn: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await pool.newContext();
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

describe('sandbox: buy a subscription', () => {
  it('walks the four steps, pays in a cross-origin frame, provisions asynchronously', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'none');
      await signIn(page, sandbox, account);
      await expect(page.getByRole('heading', { name: 'Subscriptions & purchases' })).toBeVisible();
      await expect(page.getByTestId('no-subscriptions')).toBeVisible();
      await page.goto(`${sandbox.portalUrl}${checkoutPath(account)}`);
      await expect(page.getByTestId('active-step-body')).toHaveCount(1);
      await expect(page.getByTestId('plan-name')).toHaveText('Premium');
      const groupName = `Team ${account.groupPath.slice('group-'.length)}`;
      await expect(page.getByTestId('group-name')).toHaveText(groupName);
      await expect(page.getByRole('heading', { name: 'Subscription details' })).toBeVisible();

      // Seats below usage: the existing group has 3 members.
      await page.getByLabel('Number of users').fill('2');
      await expect(page.getByTestId('number-of-users-error')).toHaveText(
        'Must be 3 (your seats in use) or more.',
      );
      await expect(page.getByRole('button', { name: 'Continue to billing' })).toBeDisabled();

      await checkoutToPayment(page, { users: 5 });
      const summary = page.getByTestId('order-summary');
      await expect(summary.getByTestId('selected-plan')).toHaveText('Premium plan (x5)');
      await expect(summary.getByTestId('per-user')).toHaveText('$228 per user per year');
      await expect(summary.getByTestId('total-ex-vat')).toHaveText('$1,140.00');
      await expect(summary.getByTestId('total-amount')).toHaveText('$1,140.00');
      await expect(summary.getByTestId('vat')).toHaveText('–');
      await expect(summary.getByTestId('discount')).toBeHidden();
      await expect(page.getByTestId('step-summary-details')).toContainText('Premium · 5 users');
      await expect(page.getByTestId('step-summary-billing')).toContainText('San Francisco, CA 94102');

      // The payment form comes from the second origin.
      const frameElement = await page.waitForSelector('iframe#z_hppm_iframe');
      const frame = await frameElement.contentFrame();
      expect(new URL(frame!.url()).origin).toBe(sandbox.paymentUrl);
      expect(new URL(frame!.url()).origin).not.toBe(new URL(page.url()).origin);
      await expect(paymentFrame(page).locator('#input-creditCardNumber')).toBeVisible();
      // docs/sandbox.md's picture of today's checkout, refreshed only when asked.
      if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
        await page.screenshot({
          path: fileURLToPath(new URL('../../../docs/img/sandbox-checkout.png', import.meta.url)),
          fullPage: true,
        });
      }

      const confirm = page.getByRole('button', { name: 'Confirm purchase' });
      await payWith(page);
      await expect(page.getByTestId('step-summary-payment')).toContainText('Visa ending in 1111');
      await expect(page.getByTestId('step-summary-payment')).toContainText(/Exp 01\/\d\d/);
      await expect(confirm).toBeDisabled(); // terms not accepted yet
      await confirmWith(page, 'Confirm purchase');

      // The buyer lands on the group's billing page on GitLab.com.
      await expect(page).toHaveURL(`${sandbox.gitlabUrl}/groups/${account.groupPath}/-/billings`);
      await expect(page.getByTestId('billing-plan-header')).toHaveText(
        `${groupName} is currently using the Free Plan`,
      );
      await expect(async () => {
        await page.reload();
        await expect(page.getByTestId('billing-plan-header')).toHaveText(
          `${groupName} is currently using the Premium SaaS Plan`,
          { timeout: 500 },
        );
      }).toPass({ timeout: 15_000, intervals: [250] });

      await page.goto(`${sandbox.portalUrl}/subscriptions`);
      const card = page.locator('[data-testid^="subscription-card-"]');
      await expect(card).toHaveCount(1);
      await expect(card.getByTestId('seats-in-subscription')).toHaveText('5');
      await expect(card.getByTestId('subscription-renewal-status')).toHaveText(
        /^Auto-renews on \w{3} \d{1,2}, \d{4}$/,
      );
      await page.getByRole('link', { name: 'Invoices' }).click();
      await expect(page.locator('[data-testid^="invoice-row-"]')).toHaveCount(1);
      await expect(page.getByTestId('invoice-amount')).toHaveText('$1,140.00');
    });
  });

  it('collapses finished steps to a summary with Edit, and Edit reopens a step', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'none');
      await signIn(page, sandbox, account, checkoutPath(account, ULTIMATE));
      await checkoutToPayment(page, { users: 3 });
      await expect(page.getByTestId('order-summary').getByTestId('total-amount')).toHaveText('$3,564.00');
      await page.getByTestId('step-details').getByRole('button', { name: 'Edit' }).click();
      await expect(page.getByTestId('active-step-body')).toContainText('Number of users');
      await expect(page.getByTestId('step-summary-billing')).toBeHidden();
      await page.getByLabel('Number of users').fill('4');
      await expect(page.getByTestId('total-amount')).toHaveText('$4,752.00');
      await page.getByRole('button', { name: 'Continue to billing' }).click();
      await expect(page.getByTestId('active-step-body')).toContainText('Zip code');
    });
  });

  it('creates one order for a double submit with the same idempotency key', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'none');
      await signIn(page, sandbox, account, checkoutPath(account));
      await checkoutToPayment(page, { users: 3 });
      await payWith(page);
      // The confirm request goes out twice at the same moment, as a double click would send it.
      let duplicate: { status: number; orderId: string } | undefined;
      await page.route('**/api/orders/new', async (route) => {
        const request = route.request();
        const [original, second] = await Promise.all([
          route.fetch(),
          page.request.post(request.url(), {
            headers: { 'content-type': 'application/json' },
            data: request.postData() ?? '',
          }),
        ]);
        duplicate = {
          status: second.status(),
          orderId: ((await second.json()) as { orderId: string }).orderId,
        };
        await route.fulfill({ response: original });
      });
      await confirmWith(page, 'Confirm purchase');
      await expect(page).toHaveURL(/\/-\/billings$/);
      await page.goto(`${sandbox.portalUrl}/invoices`);
      const rows = page.locator('[data-testid^="invoice-row-"]');
      await expect(rows).toHaveCount(1);
      expect(duplicate?.status).toBeGreaterThanOrEqual(200);
      expect(duplicate?.status).toBeLessThan(300);
      await expect(rows.getByTestId('invoice-number')).toHaveText(duplicate!.orderId);
      await page.goto(`${sandbox.portalUrl}/subscriptions`);
      await expect(page.locator('[data-testid^="subscription-card-"]')).toHaveCount(1);
    });
  });
});

describe('sandbox: a returning customer and the checkout refusals', () => {
  it('shows Contact information and buys with "Select existing card" without a card submission', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'active');
      const submissions = async (): Promise<number> =>
        (
          await control<{ requests: { path: string }[] }>(
            sandbox,
            'GET',
            '/__sandbox/requests?origin=payment',
          )
        ).body.requests.filter((r) => r.path === '/hpm/submit').length;
      const before = await submissions();
      await signIn(page, sandbox, account, checkoutPath({ groupId: account.spareGroupId! }));
      await checkoutToPayment(page, { users: 1 });
      await expect(page.getByTestId('step-summary-billing')).toContainText('Contact information on file');
      await page.getByTestId('step-billing').getByRole('button', { name: 'Edit' }).click();
      await expect(page.getByTestId('contact-information')).toContainText('San Francisco, CA 94102');
      await expect(page.getByTestId('checkout-billing-address-form')).toHaveCount(0);
      await page.getByRole('button', { name: 'Continue to payment' }).click();
      await expect(page.getByLabel('Select existing card')).toBeChecked();
      await expect(page.getByTestId('existing-card')).toContainText('Visa ending in 1111');
      await expect(page.locator('iframe#z_hppm_iframe')).toHaveCount(0);
      await page.getByRole('button', { name: 'Use this card' }).click();
      await expect(page.getByTestId('step-summary-payment')).toContainText('Visa ending in 1111');
      await confirmWith(page, 'Confirm purchase');
      await expect(page).toHaveURL(/\/-\/billings$/);
      await page.goto(`${sandbox.portalUrl}/subscriptions`);
      await expect(page.locator('[data-testid^="subscription-card-"]')).toHaveCount(2);
      expect(await submissions()).toBe(before);
    });
  });

  it('refuses an unknown plan, a missing, unknown, foreign or sub- group with a clear message', async () => {
    const other = await newAccount(sandbox, 'none');
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'none');
      await signIn(page, sandbox, account);
      const cases: [string, number, string][] = [
        [`/subscriptions/new?gl_namespace_id=${account.groupId}&plan_id=gold`, 404, 'Unknown plan_id "gold"'],
        [`/subscriptions/new?plan_id=${ULTIMATE}`, 400, 'gl_namespace_id is required'],
        [checkoutPath({ groupId: 999_999 }), 404, 'Group 999999 was not found.'],
        [checkoutPath(other), 403, 'You must be an owner of group'],
        [
          checkoutPath({ groupId: account.subgroupId }),
          422,
          'is a subgroup: subscriptions can only be bought for top-level groups.',
        ],
      ];
      for (const [path, status, message] of cases) {
        const response = await page.goto(`${sandbox.portalUrl}${path}`);
        expect(response?.status(), path).toBe(status);
        await expect(page.getByTestId('error-message')).toContainText(message);
      }
    });
  });
});
