import type { BrowserContext, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { testPool } from '../helpers/browser.js';
import {
  checkoutPath,
  checkoutToPayment,
  confirmWith,
  control,
  newAccount,
  payWith,
  setFaults,
  signIn,
} from './helpers.js';

const ROOMY = { perMinute: 100, perHour: 1000 };

let sandbox: Sandbox;
let pool: BrowserPool;

beforeAll(async () => {
  // These tests submit the card form more often than the real limit allows; the limit has its own test.
  sandbox = await startSandbox({ provisioningDelayMs: 100, cardLimit: ROOMY });
  pool = testPool();
  await pool.launch();
});

afterEach(async () => {
  await control(sandbox, 'DELETE', '/__sandbox/faults');
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

/** A fresh `none` account at the checkout's payment step. */
async function atPayment(page: Page): Promise<void> {
  const account = await newAccount(sandbox, 'none');
  await signIn(page, sandbox, account, checkoutPath(account));
  await checkoutToPayment(page, { users: 5 });
}

/** A fresh `none` account signed in on its checkout. */
async function atCheckout(page: Page): Promise<void> {
  const account = await newAccount(sandbox, 'none');
  await signIn(page, sandbox, account, checkoutPath(account));
}

const DECLINED =
  'Transaction declined.402 - [card_error/card_declined/generic_decline] Your card was declined.';
const NO_FUNDS =
  'Transaction declined.402 - [card_error/card_declined/insufficient_funds] Your card has insufficient funds.';
const THREE_DS =
  '3D Secure authentication is not supported. Please contact our sales team to complete your purchase. [card_error/authentication_required/authentication_required] This transaction requires authentication.';
const RATE_LIMIT = 'Attempt_Exceed_Limitation - Attempt exceed the limitation, refresh page to try again.';
const LOCK = 'Operation failed due to a lock competition, please retry later.';

describe('sandbox: payment failures', () => {
  it('magic cards decline, lack funds, need 3-D Secure; then a good card passes', async () => {
    await withPage(async (page) => {
      await atPayment(page);
      for (const [number, message] of [
        ['4000 0000 0000 0002', DECLINED],
        ['4000 0000 0000 9995', NO_FUNDS],
        ['4000 0027 6000 3184', THREE_DS],
      ] as const) {
        await payWith(page, number);
        await expect(page.getByTestId('payment-error')).toHaveText(message);
        await expect(page.getByTestId('step-summary-payment')).toBeHidden();
      }
      await payWith(page);
      await expect(page.getByTestId('step-summary-payment')).toContainText('Visa ending in 1111');
    });
  });

  it('payment faults fail a good card, one per count, in order', async () => {
    await setFaults(sandbox, [
      { payment: 'decline', count: 1 },
      { payment: 'insufficient_funds', count: 1 },
      { payment: '3ds_required', count: 1 },
    ]);
    await withPage(async (page) => {
      await atPayment(page);
      for (const message of [DECLINED, NO_FUNDS, THREE_DS]) {
        await payWith(page);
        await expect(page.getByTestId('payment-error')).toHaveText(message);
      }
      await payWith(page);
      await expect(page.getByTestId('step-summary-payment')).toContainText('Visa ending in 1111');
    });
  });

  it('form_down, a 503 payment step and a 503 payment origin all show the form-failed message', async () => {
    for (const fault of [
      { payment: 'form_down' },
      { match: 'payment', status: 503 },
      { match: '/hpm/page', status: 503 },
    ]) {
      await setFaults(sandbox, [fault]);
      await withPage(async (page) => {
        await atPayment(page);
        await expect(page.getByTestId('payment-error')).toHaveText(
          'Credit card form failed to load. Please try again.',
          { timeout: 15_000 },
        );
        await expect(page.getByTestId('payment-loading')).toBeHidden();
      });
    }
  });

  it('lock contention (fault or magic card) fails the first confirm; the retry places one order', async () => {
    for (const [faults, number] of [
      [[{ payment: 'lock_contention' }], '4111 1111 1111 1111'],
      [[], '4000 0000 0000 0119'],
    ] as const) {
      await setFaults(sandbox, [...faults]);
      await withPage(async (page) => {
        await atPayment(page);
        await payWith(page, number);
        await confirmWith(page, 'Confirm purchase');
        await expect(page.getByTestId('confirm-error')).toHaveText(LOCK);
        await page.getByRole('button', { name: 'Confirm purchase' }).click();
        await expect(page).toHaveURL(/\/-\/billings$/);
        await page.goto(`${sandbox.portalUrl}/invoices`);
        await expect(page.locator('[data-testid^="invoice-row-"]')).toHaveCount(1);
      });
    }
  });
});

describe('sandbox: page faults', () => {
  it('price preview failure shows the message and keeps confirm disabled; it recovers', async () => {
    await setFaults(sandbox, [{ pricePreview: 'fail' }]);
    await withPage(async (page) => {
      await atPayment(page);
      await expect(page.getByTestId('price-preview-error')).toHaveText(
        'Something went wrong while loading price details.',
      );
      await payWith(page);
      await page.getByLabel('I accept the Privacy Statement and Terms of Service.').check();
      await expect(page.getByRole('button', { name: 'Confirm purchase' })).toBeDisabled();
    });
    await setFaults(sandbox, [{ pricePreview: 'fail', count: 1 }]);
    await withPage(async (page) => {
      await atCheckout(page);
      await expect(page.getByTestId('price-preview-error')).toHaveText(
        'Something went wrong while loading price details.',
      );
      await expect(page.getByTestId('total-amount')).toHaveText('–');
      await page.getByLabel('Number of users').fill('4');
      await expect(page.getByTestId('price-preview-error')).toBeHidden();
      await expect(page.getByTestId('total-amount')).toHaveText('$912.00');
    });
  });

  it('wrong pricing shows a total that does not match the catalogue', async () => {
    await setFaults(sandbox, [{ pricing: 'wrong' }]);
    await withPage(async (page) => {
      await atCheckout(page);
      await page.getByLabel('Number of users').fill('5');
      await expect(page.getByTestId('per-user')).toHaveText('$228 per user per year');
      await expect(page.getByTestId('total-amount')).toHaveText('$1,240.00');
    });
  });

  it('removeTestId renders the confirm button without its test id', async () => {
    await setFaults(sandbox, [{ removeTestId: 'confirm-purchase' }]);
    await withPage(async (page) => {
      await atCheckout(page);
      await expect(page.getByRole('button', { name: 'Confirm purchase', includeHidden: true })).toHaveCount(
        1,
      );
      await expect(page.getByTestId('confirm-purchase')).toHaveCount(0);
      await expect(page.getByTestId('order-summary')).toHaveCount(1);
    });
  });

  it('a 503 renders the outage page; latency is timed server-side with the synthetic header', async () => {
    await withPage(async (page, context) => {
      const account = await newAccount(sandbox, 'none');
      await signIn(page, sandbox, account);
      await setFaults(sandbox, [
        { match: '/subscriptions/new', status: 503, count: 1 },
        { match: 'invoices', latencyMs: 700 },
      ]);
      const outage = await page.goto(`${sandbox.portalUrl}${checkoutPath(account)}`);
      expect(outage?.status()).toBe(503);
      await expect(page.getByTestId('outage')).toContainText(
        'customers.gitlab.com is currently experiencing an outage',
      );
      const again = await page.goto(`${sandbox.portalUrl}${checkoutPath(account)}`);
      expect(again?.status()).toBe(200); // count 1: expired

      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await context.setExtraHTTPHeaders({ 'X-Synthetic-Journey': 'purchase/run-42', traceparent });
      await page.goto(`${sandbox.portalUrl}/invoices`);
      const { body } = await control<{
        requests: {
          path: string;
          durationMs: number;
          synthetic?: string;
          traceparent?: string;
          faults?: string[];
        }[];
      }>(sandbox, 'GET', '/__sandbox/requests?synthetic=purchase/');
      const invoices = body.requests.filter((r) => r.path === '/invoices');
      expect(invoices).toHaveLength(1);
      expect(invoices[0]!.synthetic).toBe('purchase/run-42');
      expect(invoices[0]!.traceparent).toBe(traceparent);
      expect(invoices[0]!.durationMs).toBeGreaterThanOrEqual(700);
      expect(invoices[0]!.faults).toEqual(['latency:700']);
    });
  });
});

describe("sandbox: the new failures of today's portal", () => {
  it('over the card-submission limit the provider refuses with Attempt_Exceed_Limitation', async () => {
    await control(sandbox, 'PUT', '/__sandbox/settings', { cardLimit: { perMinute: 2, perHour: 6 } });
    try {
      await withPage(async (page) => {
        await atPayment(page);
        for (const number of ['4000 0000 0000 0002', '4000 0000 0000 0002']) {
          await payWith(page, number);
          await expect(page.getByTestId('payment-error')).toHaveText(DECLINED);
        }
        await payWith(page);
        await expect(page.getByTestId('payment-error')).toHaveText(RATE_LIMIT);
        await expect(page.getByTestId('step-summary-payment')).toBeHidden();
      });
      await setFaults(sandbox, [{ payment: 'rate_limit', count: 1 }]);
      await control(sandbox, 'PUT', '/__sandbox/settings', { cardLimit: ROOMY });
      await withPage(async (page) => {
        await atPayment(page);
        await payWith(page);
        await expect(page.getByTestId('payment-error')).toHaveText(RATE_LIMIT);
        await payWith(page);
        await expect(page.getByTestId('step-summary-payment')).toContainText('Visa ending in 1111');
      });
    } finally {
      await control(sandbox, 'PUT', '/__sandbox/settings', { cardLimit: ROOMY });
    }
  });

  it('a 500 on GitLab.com sign-in shows "500 Error - GitLab"; a failing cancel dialog too', async () => {
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'active');
      await setFaults(sandbox, [{ match: 'gitlab_sign_in', status: 500, count: 1 }]);
      await page.goto(`${sandbox.portalUrl}/subscriptions`);
      await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
      expect(new URL(page.url()).origin).toBe(sandbox.gitlabUrl);
      await expect(page).toHaveTitle('500 Error - GitLab');
      await signIn(page, sandbox, account); // count 1: spent
      await setFaults(sandbox, [{ match: 'cancel', status: 500 }]);
      await page.getByRole('button', { name: 'Subscription actions' }).click();
      await page.getByRole('menuitem', { name: 'Cancel subscription' }).click();
      const dialog = page.getByRole('dialog', { name: 'Cancel subscription' });
      await dialog.getByLabel('Reason for cancelling').selectOption({ label: 'No longer needed' });
      await dialog.getByRole('button', { name: 'Cancel subscription' }).click();
      await expect(page).toHaveTitle('500 Error - GitLab');
    });
  });

  it('removeTestId acts on GitLab.com pages too', async () => {
    await setFaults(sandbox, [{ removeTestId: 'billing-plan-header' }]);
    await withPage(async (page) => {
      const account = await newAccount(sandbox, 'active');
      await signIn(page, sandbox, account);
      await page.goto(`${sandbox.gitlabUrl}/groups/${account.groupPath}/-/billings`);
      await expect(
        page.getByRole('heading', { name: /is currently using the Premium SaaS Plan$/ }),
      ).toBeVisible();
      await expect(page.getByTestId('billing-plan-header')).toHaveCount(0);
    });
  });
});
