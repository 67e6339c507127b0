import { currentOtp, type Sandbox } from '../../../src/sandbox/index.js';

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
  username: string;
  email: string;
  password: string;
  otpSecret?: string;
  groupId: number;
  groupPath: string;
  subgroupId: number;
  subscriptionId?: string;
}

export async function fresh(sandbox: Sandbox, state: string, twoFactor = false): Promise<Fresh> {
  const body = twoFactor ? { state, twoFactor } : { state };
  return (await call<Fresh>(`${sandbox.portalUrl}/__sandbox/accounts`, { method: 'POST', body })).body;
}

/** A browser's cookies, per host name: cookies ignore ports, so the three origins share one jar. */
export class Jar {
  readonly #cookies = new Map<string, Map<string, string>>();

  header(url: string): string {
    const jar = this.#cookies.get(new URL(url).hostname) ?? new Map<string, string>();
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(url: string, headers: Headers): void {
    const host = new URL(url).hostname;
    const jar = this.#cookies.get(host) ?? new Map<string, string>();
    for (const line of headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    this.#cookies.set(host, jar);
  }

  get(url: string, name: string): string | undefined {
    return this.#cookies.get(new URL(url).hostname)?.get(name);
  }
}

export interface Hop {
  readonly url: string;
  readonly status: number;
  readonly location?: string;
  readonly text: string;
}

/** One request with the jar's cookies, no redirect followed. */
export async function hop(
  jar: Jar,
  url: string,
  init: { method?: string; form?: Record<string, string> } = {},
): Promise<Hop> {
  const response = await fetch(url, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    redirect: 'manual',
    headers: {
      cookie: jar.header(url),
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
  });
  jar.store(url, response.headers);
  const location = response.headers.get('location');
  return {
    url,
    status: response.status,
    text: await response.text(),
    ...(location === null ? {} : { location: new URL(location, url).href }),
  };
}

/** Follows redirects (at most 10) from `first`; returns every hop. */
export async function follow(jar: Jar, first: Hop): Promise<Hop[]> {
  const hops = [first];
  let last = first;
  for (let i = 0; i < 10 && last.location !== undefined; i += 1) {
    last = await hop(jar, last.location);
    hops.push(last);
  }
  return hops;
}

export function hidden(html: string, name: string): string {
  const match = new RegExp(`name="${name.replace(/[[\]]/g, '\\$&')}" value="([^"]*)"`).exec(html);
  if (match?.[1] === undefined) throw new Error(`no hidden field ${name}`);
  return match[1]
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/**
 * The whole OAuth sign-in over HTTP, as a browser does it: portal → GitLab.com sign-in
 * (→ two-factor code) (→ consent) → callback. Returns the jar, signed in on both origins.
 */
export async function oauthSignIn(
  sandbox: Sandbox,
  account: { username: string; password: string; otpSecret?: string | undefined },
  jar = new Jar(),
): Promise<Jar> {
  const start = await hop(jar, `${sandbox.portalUrl}/auth/gitlab`, { form: { return_to: '/subscriptions' } });
  let hops = await follow(jar, start);
  let page = hops.at(-1)!;
  if (page.url.startsWith(`${sandbox.gitlabUrl}/users/sign_in`)) {
    const redirectTo = hidden(page.text, 'redirect_to');
    page = await hop(jar, `${sandbox.gitlabUrl}/users/sign_in`, {
      form: { redirect_to: redirectTo, 'user[login]': account.username, 'user[password]': account.password },
    });
    if (page.status === 200 && account.otpSecret !== undefined) {
      page = await hop(jar, `${sandbox.gitlabUrl}/users/sign_in`, {
        form: { pending: hidden(page.text, 'pending'), 'user[otp_attempt]': currentOtp(account.otpSecret) },
      });
    }
    hops = await follow(jar, page);
    page = hops.at(-1)!;
  }
  if (page.text.includes('data-testid="authorize-button"')) {
    const form: Record<string, string> = { decision: 'authorize' };
    for (const name of ['client_id', 'redirect_uri', 'response_type', 'state', 'scope']) {
      form[name] = hidden(page.text, name);
    }
    hops = await follow(jar, await hop(jar, `${sandbox.gitlabUrl}/oauth/authorize`, { form }));
    page = hops.at(-1)!;
  }
  if (jar.get(sandbox.portalUrl, '_customers_dot_session') === undefined) {
    throw new Error(`sign-in did not reach the portal: ended at ${page.url} (HTTP ${page.status})`);
  }
  return jar;
}

/** The session cookies of a signed-in jar, as a Cookie header good on every origin. */
export function portalCookie(sandbox: Sandbox, jar: Jar): string {
  return jar.header(sandbox.portalUrl);
}

/** Signs in (username or email) and returns the Cookie header, or undefined when sign-in fails. */
export async function signIn(
  sandbox: Sandbox,
  login: string,
  password: string,
  otpSecret?: string,
): Promise<string | undefined> {
  try {
    return portalCookie(sandbox, await oauthSignIn(sandbox, { username: login, password, otpSecret }));
  } catch {
    return undefined;
  }
}

/** Tokenises a card on the payment origin for the signed-in account (the good test card by default). */
export async function paymentMethod(
  sandbox: Sandbox,
  cookie: string,
  number = '4111111111111111',
): Promise<string> {
  const reply = await submitCard(sandbox, cookie, number);
  if (reply.status !== 201) throw new Error(`payment method: HTTP ${reply.status}`);
  return reply.body.refId ?? '';
}

/** Opens a payment form for the account (its token) and submits one card to it. */
export async function submitCard(
  sandbox: Sandbox,
  cookie: string,
  number = '4111111111111111',
): Promise<Reply<{ refId?: string; error?: string; code?: string }>> {
  const form = await call<{ url: string }>(`${sandbox.portalUrl}/api/payment_form`, { cookie });
  const token = new URL(form.body.url).searchParams.get('token') ?? '';
  return call(`${sandbox.paymentUrl}/hpm/submit`, {
    method: 'POST',
    body: { token, holderName: 'QA Test', number, expMonth: '01', expYear: '2099', cvv: '123' },
  });
}

export const ADDRESS = {
  country: 'US',
  street1: '1 Market St',
  city: 'San Francisco',
  state: 'CA',
  zip: '94102',
};
