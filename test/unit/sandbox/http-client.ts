import type { Sandbox } from '../../../src/sandbox/index.js';

/** Plain HTTP against a sandbox (no browser): what the unit tests of its API use. */
export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export async function call<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: {
      'content-type': 'application/json',
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').startsWith('application/json'))
    body = JSON.parse(text) as unknown;
  return { status: response.status, body: body as T, headers: response.headers };
}

export interface Fresh {
  email: string;
  password: string;
  group: string;
  subscriptionId?: string;
}

export async function fresh(sandbox: Sandbox, state: string): Promise<Fresh> {
  return (await call<Fresh>(`${sandbox.portalUrl}/__sandbox/accounts`, { method: 'POST', body: { state } }))
    .body;
}

/** Signs in with the form and returns the session cookie ("name=value"), or undefined on 401. */
export async function signIn(sandbox: Sandbox, email: string, password: string): Promise<string | undefined> {
  const response = await fetch(`${sandbox.portalUrl}/customers/sign_in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'user[email]': email, 'user[password]': password }).toString(),
  });
  await response.text();
  if (response.status !== 303) return undefined;
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

/** Tokenises the good test card on the payment origin (or another number). */
export async function paymentMethod(sandbox: Sandbox, number = '4111111111111111'): Promise<string> {
  const reply = await call<{ refId: string }>(`${sandbox.paymentUrl}/hpm/submit`, {
    method: 'POST',
    body: { holderName: 'QA Test', number, expMonth: '01', expYear: '2099', cvv: '123' },
  });
  if (reply.status !== 201) throw new Error(`payment method: HTTP ${reply.status}`);
  return reply.body.refId;
}

export const ADDRESS = {
  country: 'US',
  street1: '1 Market St',
  city: 'San Francisco',
  state: 'CA',
  zip: '94102',
};
