import { expect, type FrameLocator, type Page } from '@playwright/test';
import type { Sandbox } from '../../../src/sandbox/index.js';

/** Hand-written steps over the sandbox's pages (not journeys): what a person would click. */

export interface FreshAccount {
  readonly email: string;
  readonly password: string;
  readonly subscriptionId?: string;
  readonly group: string;
}

export async function control<T>(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${sandbox.portalUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export async function newAccount(sandbox: Sandbox, state: string): Promise<FreshAccount> {
  const { status, body } = await control<FreshAccount>(sandbox, 'POST', '/__sandbox/accounts', { state });
  expect(status).toBe(201);
  return body;
}

export async function setFaults(sandbox: Sandbox, faults: unknown[]): Promise<void> {
  const { status } = await control(sandbox, 'PUT', '/__sandbox/faults', faults);
  expect(status).toBe(200);
}

export async function signIn(
  page: Page,
  sandbox: Sandbox,
  account: { email: string; password: string },
  path = '/subscriptions',
): Promise<void> {
  await page.goto(`${sandbox.portalUrl}${path}`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(account.email);
}

export const paymentFrame = (page: Page): FrameLocator => page.frameLocator('iframe#z_hppm_iframe');

/** Fills the payment iframe and submits it with "Review your order". */
export async function payWith(page: Page, card = '4111 1111 1111 1111'): Promise<void> {
  const frame = paymentFrame(page);
  await frame.locator('#input-creditCardHolderName').fill('QA Test');
  await frame.locator('#input-creditCardNumber').fill(card);
  await frame.locator('#input-creditCardExpirationMonth').selectOption('01');
  await frame.locator('#input-creditCardExpirationYear').selectOption({ index: 5 });
  await frame.locator('#input-cardSecurityCode').fill('123');
  await frame.getByRole('link', { name: 'Review your order' }).click();
}

/** Checkout steps 1 and 2 for a new group, leaving the payment step active. */
export async function checkoutToPayment(
  page: Page,
  options: { groupName: string; users: number },
): Promise<void> {
  await page.getByLabel('GitLab group').selectOption({ label: 'Create a new group' });
  await page.getByLabel('Company or group name').fill(options.groupName);
  await page.getByLabel('Number of users').fill(String(options.users));
  await page.getByRole('button', { name: 'Continue to billing' }).click();
  await page.getByLabel('Country').selectOption({ label: 'United States' });
  await page.getByLabel('Street address', { exact: true }).fill('1 Market St');
  await page.getByLabel('City').fill('San Francisco');
  await page.getByLabel('State', { exact: true }).selectOption({ label: 'California' });
  await page.getByLabel('Zip code').fill('94102');
  await page.getByRole('button', { name: 'Continue to payment' }).click();
}

/** Accepts the terms and presses the final button (by its text). */
export async function confirmWith(page: Page, button: string): Promise<void> {
  await page.getByLabel('I accept the Privacy Statement and Terms of Service.').check();
  await page.getByRole('button', { name: button }).click();
}
