import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BAD_CODE,
  CODE_TTL_MS,
  OAuthError,
  OAuthState,
  STATE_MISMATCH,
  STATE_TTL_MS,
  currentOtp,
  newOtpSecret,
  verifyOtp,
} from '../../../src/sandbox/gitlab/oauth.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { CardLimiter, PAYMENT_MESSAGES, RATE_LIMIT_MESSAGE } from '../../../src/sandbox/payment/cards.js';
import { Store } from '../../../src/sandbox/store.js';
import { call, follow, fresh, hidden, hop, Jar, oauthSignIn, submitCard } from './http-client.js';

const CLIENT = 'customersdot';
const CALLBACK = 'http://portal.test/auth/gitlab/callback';

describe('OAuth state and code (the portal and GitLab.com sides)', () => {
  it('takes a state once, only when the cookie repeats it, within its lifetime', () => {
    const oauth = new OAuthState();
    const state = oauth.issueState('/invoices', 0);
    expect(() => oauth.takeState(state, 'other', 1)).toThrow(STATE_MISMATCH);
    expect(() => oauth.takeState(null, state, 1)).toThrow(OAuthError);
    expect(() => oauth.takeState('tampered', 'tampered', 1)).toThrow(STATE_MISMATCH);
    expect(oauth.takeState(state, state, 1)).toBe('/invoices');
    expect(() => oauth.takeState(state, state, 2)).toThrow(STATE_MISMATCH); // single use
    const old = oauth.issueState('/', 0);
    expect(() => oauth.takeState(old, old, STATE_TTL_MS)).toThrow(STATE_MISMATCH);
  });

  it('exchanges a code once, for its own client and redirect URI, before it expires', () => {
    const oauth = new OAuthState();
    const grant = { accountId: 'a1', clientId: CLIENT, redirectUri: CALLBACK };
    const code = oauth.issueCode(grant, 0);
    expect(oauth.exchange(code, CLIENT, CALLBACK, 10)).toBe('a1');
    expect(() => oauth.exchange(code, CLIENT, CALLBACK, 11)).toThrow(BAD_CODE);
    const other = oauth.issueCode(grant, 0);
    expect(() => oauth.exchange(other, CLIENT, 'http://evil.test/cb', 1)).toThrow(BAD_CODE);
    const late = oauth.issueCode(grant, 0);
    expect(() => oauth.exchange(late, CLIENT, CALLBACK, CODE_TTL_MS)).toThrow(BAD_CODE);
    expect(() => oauth.exchange(null, CLIENT, CALLBACK, 1)).toThrow(BAD_CODE);
  });
});

describe('TOTP (RFC 6238 through otpauth)', () => {
  const secret = newOtpSecret();
  const now = Date.UTC(2026, 0, 1, 12, 0, 10);

  it('accepts the current code and one step of drift, refuses a wrong one', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const code = currentOtp(secret, now);
    expect(code).toMatch(/^\d{6}$/);
    expect(verifyOtp(secret, code, 0, now)).toBe(Math.floor(now / 30_000));
    expect(verifyOtp(secret, currentOtp(secret, now - 30_000), 0, now)).toBe(Math.floor(now / 30_000) - 1);
    expect(verifyOtp(secret, currentOtp(secret, now - 90_000), 0, now)).toBeUndefined();
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(verifyOtp(secret, wrong, 0, now)).toBeUndefined();
    expect(verifyOtp(secret, 'abcdef', 0, now)).toBeUndefined();
  });

  it('refuses a code already used (and any older one)', () => {
    const code = currentOtp(secret, now);
    const step = verifyOtp(secret, code, 0, now)!;
    expect(verifyOtp(secret, code, step, now)).toBeUndefined();
    expect(verifyOtp(secret, currentOtp(secret, now - 30_000), step, now)).toBeUndefined();
    expect(verifyOtp(secret, currentOtp(secret, now + 30_000), step, now)).toBe(step + 1);
  });
});

describe('card-submission limit', () => {
  it('allows perMinute in a minute and perHour in an hour, per account; refusals do not count', () => {
    const limiter = new CardLimiter({ perMinute: 3, perHour: 6 });
    const at = (s: number): number => s * 1000;
    expect([0, 1, 2].map((s) => limiter.tryTake('a', at(s)))).toEqual([true, true, true]);
    expect(limiter.tryTake('a', at(30))).toBe(false);
    expect(limiter.tryTake('b', at(30))).toBe(true); // another account
    expect(limiter.count('a', at(30))).toBe(3);
    expect([61, 62, 63].map((s) => limiter.tryTake('a', at(s)))).toEqual([true, true, true]);
    expect(limiter.tryTake('a', at(200))).toBe(false); // 6 in the hour
    expect(limiter.tryTake('a', at(3601))).toBe(true); // the first has left the hour
  });
});

describe('sessions', () => {
  it('expire after the TTL and by hand, per origin', () => {
    const store = new Store(10);
    store.accounts.set('a', {
      id: 'a',
      username: 'u',
      email: 'u@x',
      password: 'p',
      state: 'none',
      demo: false,
      savedCards: [],
      consented: false,
      lastOtpStep: 0,
    });
    const portal = store.createSession('a', 'portal', 0);
    const gitlab = store.createSession('a', 'gitlab', 0);
    expect(store.session(portal, 'portal', 1000, 999).kind).toBe('account');
    expect(store.session(portal, 'portal', 1000, 1000).kind).toBe('expired');
    expect(store.session(portal, 'gitlab', 1000, 1).kind).toBe('none'); // a portal cookie is not GitLab's
    expect(store.expireSessions('a', 'gitlab')).toBe(1);
    expect(store.session(gitlab, 'gitlab', 1000, 1).kind).toBe('expired');
    expect(store.session(portal, 'portal', 1000, 1).kind).toBe('account');
  });
});

describe('the real error texts', () => {
  it('declines carry their card_error codes; 3-D Secure says it is not supported', () => {
    expect(PAYMENT_MESSAGES.decline).toBe(
      'Transaction declined.402 - [card_error/card_declined/generic_decline] Your card was declined.',
    );
    expect(PAYMENT_MESSAGES.insufficient_funds).toMatch(/\[card_error\/card_declined\/insufficient_funds\]/);
    expect(PAYMENT_MESSAGES['3ds_required']).toMatch(
      /^3D Secure authentication is not supported\. Please contact our sales team.*\[card_error\/authentication_required\//,
    );
    expect(RATE_LIMIT_MESSAGE).toBe(
      'Attempt_Exceed_Limitation - Attempt exceed the limitation, refresh page to try again.',
    );
  });
});

describe('OAuth over HTTP against a running sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seedDemoAccounts: false, cardLimit: { perMinute: 2, perHour: 3 } });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('checks client_id, redirect_uri and response_type before anything else', async () => {
    const authorize = (params: Record<string, string>) =>
      hop(new Jar(), `${sandbox.gitlabUrl}/oauth/authorize?${new URLSearchParams(params).toString()}`);
    const good = {
      client_id: CLIENT,
      redirect_uri: `${sandbox.portalUrl}/auth/gitlab/callback`,
      response_type: 'code',
      state: 's',
    };
    expect((await authorize(good)).status).toBe(302); // to sign in
    const cases: [Record<string, string>, string][] = [
      [{ ...good, client_id: 'someone' }, 'Client authentication failed due to unknown client'],
      [
        { ...good, redirect_uri: 'http://evil.test/auth/gitlab/callback' },
        'The redirect URI included is not valid.',
      ],
      [{ ...good, response_type: 'token' }, 'The authorization server does not support this response type.'],
    ];
    for (const [params, message] of cases) {
      const reply = await authorize(params);
      expect(reply.status).toBe(400);
      expect(reply.text).toContain(message);
    }
  });

  it('signs in with and without two-factor, asks consent once, and refuses a replayed callback', async () => {
    const plain = await fresh(sandbox, 'none');
    const twoFactor = await fresh(sandbox, 'none', true);
    expect(plain.otpSecret).toBeUndefined();
    for (const account of [plain, twoFactor]) await oauthSignIn(sandbox, account);
    // Consent was given: a new browser goes password → portal with no consent page.
    const jar = new Jar();
    const start = await hop(jar, `${sandbox.portalUrl}/auth/gitlab`, { form: { return_to: '/invoices' } });
    const signInPage = (await follow(jar, start)).at(-1)!;
    const signedIn = await hop(jar, `${sandbox.gitlabUrl}/users/sign_in`, {
      form: {
        redirect_to: hidden(signInPage.text, 'redirect_to'),
        'user[login]': plain.username,
        'user[password]': plain.password,
      },
    });
    const hops = await follow(jar, signedIn);
    const callback = hops.find((h) => h.url.includes('/auth/gitlab/callback'))!;
    expect(hops.at(-1)!.url).toBe(`${sandbox.portalUrl}/invoices`);
    // The same callback again (code and state both spent): refused.
    const replay = await hop(jar, callback.url);
    expect(replay.status).toBe(422);
    expect(replay.text).toContain('state mismatch');
  });

  it('the payment origin counts card submissions per account and refuses over the limit', async () => {
    const account = await fresh(sandbox, 'none');
    const cookie = (await oauthSignIn(sandbox, account)).header(sandbox.portalUrl);
    expect((await submitCard(sandbox, cookie)).status).toBe(201);
    expect((await submitCard(sandbox, cookie, '4000000000000002')).status).toBe(402);
    const refused = await submitCard(sandbox, cookie);
    expect(refused).toMatchObject({ status: 429, body: { error: RATE_LIMIT_MESSAGE, code: 'rate_limit' } });
    const expired = await call(`${sandbox.paymentUrl}/hpm/submit`, {
      method: 'POST',
      body: {
        token: 'nope',
        holderName: 'QA',
        number: '4111111111111111',
        expMonth: '01',
        expYear: '2099',
        cvv: '123',
      },
    });
    expect(expired.status).toBe(401);
    const settings = await call<{ error: string }>(`${sandbox.portalUrl}/__sandbox/settings`, {
      method: 'PUT',
      body: { cardLimit: { perMinute: 5, perHour: 2 } },
    });
    expect(settings.status).toBe(400);
    expect(settings.body.error).toBe('cardLimit.perHour (2) must be at least perMinute (5)');
  });
});
