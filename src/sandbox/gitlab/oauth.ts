import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** The portal's OAuth application on GitLab.com. */
export const CLIENT_ID = 'customersdot';
export const CALLBACK_PATH = '/auth/gitlab/callback';
/** An issued `state` is good for this long, once. */
export const STATE_TTL_MS = 10 * 60_000;
/** An authorization code is good for this long, once (GitLab: 10 minutes; shorter here). */
export const CODE_TTL_MS = 60_000;
/** Between password and two-factor code. */
export const PENDING_TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

/** Why an OAuth step was refused: the text the page shows. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
}

export const STATE_MISMATCH =
  'Sign-in failed: the request could not be verified (state mismatch). Please try again.';
export const BAD_CODE = 'Sign-in failed: the authorization code is invalid or has expired.';

interface Issued<T> {
  readonly value: T;
  readonly at: number;
}

function token(): string {
  return randomBytes(24).toString('base64url');
}

/** A map whose entries are taken once, expire after `ttlMs`, and stay at most MAX_ENTRIES. */
class OneTime<T> {
  readonly #entries = new Map<string, Issued<T>>();

  constructor(private readonly ttlMs: number) {}

  issue(value: T, now: number): string {
    const key = token();
    this.#entries.set(key, { value, at: now });
    for (const k of this.#entries.keys()) {
      if (this.#entries.size <= MAX_ENTRIES) break;
      this.#entries.delete(k);
    }
    return key;
  }

  take(key: string, now: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    return now - entry.at < this.ttlMs ? entry.value : undefined;
  }

  peek(key: string, now: number): T | undefined {
    const entry = this.#entries.get(key);
    return entry !== undefined && now - entry.at < this.ttlMs ? entry.value : undefined;
  }
}

interface CodeGrant {
  readonly accountId: string;
  readonly clientId: string;
  readonly redirectUri: string;
}

/** A sign-in that passed the password and waits for its two-factor code. */
export interface PendingSignIn {
  readonly accountId: string;
  readonly redirectTo: string;
}

/** OAuth states (the portal's side), codes and pending two-factor sign-ins (GitLab.com's side). */
export class OAuthState {
  readonly #states = new OneTime<string>(STATE_TTL_MS);
  readonly #codes = new OneTime<CodeGrant>(CODE_TTL_MS);
  readonly #pending = new OneTime<PendingSignIn>(PENDING_TTL_MS);

  /** A fresh `state` remembering where to go after sign-in. */
  issueState(returnTo: string, now: number): string {
    return this.#states.issue(returnTo, now);
  }

  /** The return path of a state the portal issued and the browser's cookie repeats; once. */
  takeState(state: string | null, cookieState: string | undefined, now: number): string {
    if (state === null || state === '' || cookieState === undefined || state !== cookieState) {
      throw new OAuthError(STATE_MISMATCH);
    }
    const returnTo = this.#states.take(state, now);
    if (returnTo === undefined) throw new OAuthError(STATE_MISMATCH);
    return returnTo;
  }

  issueCode(grant: CodeGrant, now: number): string {
    return this.#codes.issue(grant, now);
  }

  /** The server-side exchange: the account a code was issued to, for this client and redirect URI; once. */
  exchange(code: string | null, clientId: string, redirectUri: string, now: number): string {
    const grant = code === null ? undefined : this.#codes.take(code, now);
    if (grant === undefined || grant.clientId !== clientId || grant.redirectUri !== redirectUri) {
      throw new OAuthError(BAD_CODE);
    }
    return grant.accountId;
  }

  startTwoFactor(pending: PendingSignIn, now: number): string {
    return this.#pending.issue(pending, now);
  }

  pendingTwoFactor(key: string, now: number): PendingSignIn | undefined {
    return this.#pending.peek(key, now);
  }

  finishTwoFactor(key: string, now: number): void {
    this.#pending.take(key, now);
  }
}

/** A new base32 TOTP secret (160 bits, as authenticator apps expect). */
export function newOtpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string): TOTP {
  return new TOTP({ issuer: 'GitLab', algorithm: 'SHA1', digits: 6, period: 30, secret });
}

/** The current code of a secret (tests and the demo use it; the prober computes its own). */
export function currentOtp(secret: string, nowMs: number = Date.now()): string {
  return totp(secret).generate({ timestamp: nowMs });
}

/**
 * Checks an RFC 6238 code, one step of clock drift either way. Returns the time step it
 * belongs to, or undefined when it is wrong or not newer than `lastStep` (a reused code).
 */
export function verifyOtp(
  secret: string,
  code: string,
  lastStep: number,
  nowMs: number = Date.now(),
): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(secret).validate({ token: code, timestamp: nowMs, window: 1 });
  if (delta === null) return undefined;
  const step = Math.floor(nowMs / 30_000) + delta;
  return step > lastStep ? step : undefined;
}
