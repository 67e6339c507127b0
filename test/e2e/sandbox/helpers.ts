import { expect, type FrameLocator, type Page } from '@playwright/test';
import { currentOtp, type Sandbox } from '../../../src/sandbox/index.js';

/** Hand-written steps over the sandbox's pages (not journeys): what a person would click. */

export interface FreshAccount {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly otpSecret?: string;
  readonly groupId: number;
  readonly groupPath: string;
  readonly subgroupId: number;
  readonly subscriptionId?: string;
  readonly spareGroupId?: number;
}

export const PREMIUM = '2c92a00d76f0d5060176f2fb0a5029ff';
export const ULTIMATE = '2c92a0ff76f0d5250176f2f8c86f305a';

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

export async function newAccount(
  sandbox: Sandbox,
  state: string,
  options: { twoFactor?: boolean } = {},
): Promise<FreshAccount> {
  const { status, body } = await control<FreshAccount>(sandbox, 'POST', '/__sandbox/accounts', {
    state,
    ...options,
  });
  expect(status).toBe(201);
  return body;
}

export async function setFaults(sandbox: Sandbox, faults: unknown[]): Promise<void> {
  const { status } = await control(sandbox, 'PUT', '/__sandbox/faults', faults);
  expect(status).toBe(200);
}

/** The checkout of the account's own empty group. */
export function checkoutPath(account: { groupId: number }, planId = PREMIUM): string {
  return `/subscriptions/new?gl_namespace_id=${account.groupId}&plan_id=${planId}`;
}

/**
 * Opens `path` on the portal and signs in as a person does: "Continue with GitLab.com
 * account", GitLab.com's form, the two-factor code when the account has one, "Authorize"
 * the first time; ends back on `path`.
 */
export async function signIn(
  page: Page,
  sandbox: Sandbox,
  account: { username: string; password: string; otpSecret?: string | undefined },
  path = '/subscriptions',
): Promise<void> {
  await page.goto(`${sandbox.portalUrl}${path}`);
  await page.getByRole('button', { name: 'Continue with GitLab.com account' }).click();
  await expect(page).toHaveURL(new RegExp(`^${sandbox.gitlabUrl}/users/sign_in`));
  await page.locator('#user_login').fill(account.username);
  await page.locator('#user_password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (account.otpSecret !== undefined) {
    await page.locator('#user_otp_attempt').fill(currentOtp(account.otpSecret));
    await page.getByRole('button', { name: 'Verify code' }).click();
  }
  const authorize = page.getByRole('button', { name: 'Authorize' });
  await expect(page.getByTestId('signed-in-as').or(authorize)).toBeVisible();
  if (await authorize.isVisible()) await authorize.click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(account.username);
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(path);
}

export const paymentFrame = (page: Page): FrameLocator => page.frameLocator('iframe#z_hppm_iframe');

/** Fills the payment iframe and submits it with "Review your order" ("Add new credit card" first when a card is on file). */
export async function payWith(page: Page, card = '4111 1111 1111 1111'): Promise<void> {
  const addNew = page.getByLabel('Add new credit card');
  if ((await addNew.count()) > 0 && !(await addNew.isChecked())) await addNew.check();
  const frame = paymentFrame(page);
  await frame.locator('#input-creditCardHolderName').fill('QA Test');
  await frame.locator('#input-creditCardNumber').fill(card);
  await frame.locator('#input-creditCardExpirationMonth').selectOption('01');
  await frame.locator('#input-creditCardExpirationYear').selectOption({ index: 5 });
  await frame.locator('#input-cardSecurityCode').fill('123');
  await frame.getByRole('link', { name: 'Review your order' }).click();
}

/** Checkout steps 1 and 2 (the address form for a new customer), leaving the payment step active. */
export async function checkoutToPayment(page: Page, options: { users: number }): Promise<void> {
  await page.getByLabel('Number of users').fill(String(options.users));
  await page.getByRole('button', { name: 'Continue to billing' }).click();
  const form = page.getByTestId('checkout-billing-address-form');
  await expect(form.or(page.getByTestId('contact-information'))).toBeVisible();
  if (await form.isVisible()) {
    await page.getByLabel('Country').selectOption({ label: 'United States' });
    await page.getByLabel('Street address', { exact: true }).fill('1 Market St');
    await page.getByLabel('City').fill('San Francisco');
    await page.getByLabel('State', { exact: true }).selectOption({ label: 'California' });
    await page.getByLabel('Zip code').fill('94102');
  }
  await page.getByRole('button', { name: 'Continue to payment' }).click();
}

/** Accepts the terms and presses the final button (by its text). */
export async function confirmWith(page: Page, button: string): Promise<void> {
  await page.getByLabel('I accept the Privacy Statement and Terms of Service.').check();
  await page.getByRole('button', { name: button }).click();
}
