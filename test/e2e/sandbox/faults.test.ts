import type { BrowserContext, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { testPool } from '../helpers/browser.js';
import {
  checkoutToPayment,
  confirmWith,
  control,
  newAccount,
  payWith,
  setFaults,
  signIn,
} from './helpers.js';

let sandbox: Sandbox;
let pool: BrowserPool;

beforeAll(async () => {
  sandbox = await startSandbox({ provisioningDelayMs: 100 });
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
async function atPayment(page: Page, path = '/subscriptions/new?plan_id=premium'): Promise<void> {
  await signIn(page, sandbox, await newAccount(sandbox, 'none'), path);
  await checkoutToPayment(page, { groupName: 'Fault Co', users: 5 });
}

const DECLINED = 'Your card was declined. Contact your card issuer for more information.';
const NO_FUNDS =
  'Your card was declined due to insufficient funds. Use another card or contact your card issuer.';
const THREE_DS = 'Authentication required for this transaction';
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
      await signIn(page, sandbox, await newAccount(sandbox, 'none'), '/subscriptions/new?plan_id=premium');
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
      await signIn(page, sandbox, await newAccount(sandbox, 'none'), '/subscriptions/new?plan_id=premium');
      await page.getByLabel('Number of users').fill('5');
      await expect(page.getByTestId('per-user')).toHaveText('$228 per user per year');
      await expect(page.getByTestId('total-amount')).toHaveText('$1,240.00');
    });
  });

  it('removeTestId renders the confirm button without its test id', async () => {
    await setFaults(sandbox, [{ removeTestId: 'confirm-purchase' }]);
    await withPage(async (page) => {
      await signIn(page, sandbox, await newAccount(sandbox, 'none'), '/subscriptions/new?plan_id=premium');
      await expect(page.getByRole('button', { name: 'Confirm purchase', includeHidden: true })).toHaveCount(
        1,
      );
      await expect(page.getByTestId('confirm-purchase')).toHaveCount(0);
      await expect(page.getByTestId('order-summary')).toHaveCount(1);
    });
  });

  it('a 503 renders the outage page; latency is timed server-side with the synthetic header', async () => {
    await withPage(async (page, context) => {
      await signIn(page, sandbox, await newAccount(sandbox, 'none'));
      await setFaults(sandbox, [
        { match: '/subscriptions/new', status: 503, count: 1 },
        { match: 'invoices', latencyMs: 700 },
      ]);
      const outage = await page.goto(`${sandbox.portalUrl}/subscriptions/new?plan_id=premium`);
      expect(outage?.status()).toBe(503);
      await expect(page.getByTestId('outage')).toContainText(
        'customers.gitlab.com is currently experiencing an outage',
      );
      const again = await page.goto(`${sandbox.portalUrl}/subscriptions/new?plan_id=premium`);
      expect(again?.status()).toBe(200); // count 1: expired

      await context.setExtraHTTPHeaders({ 'X-Synthetic-Journey': 'purchase/run-42' });
      await page.goto(`${sandbox.portalUrl}/invoices`);
      const { body } = await control<{
        requests: { path: string; durationMs: number; synthetic?: string; faults?: string[] }[];
      }>(sandbox, 'GET', '/__sandbox/requests?synthetic=purchase/');
      const invoices = body.requests.filter((r) => r.path === '/invoices');
      expect(invoices).toHaveLength(1);
      expect(invoices[0]!.synthetic).toBe('purchase/run-42');
      expect(invoices[0]!.durationMs).toBeGreaterThanOrEqual(700);
      expect(invoices[0]!.faults).toEqual(['latency:700']);
    });
  });
});
