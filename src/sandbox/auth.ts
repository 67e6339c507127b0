import type { SandboxApp } from './app.js';
import { cookie, redirect, sendJson, type RouteContext } from './http.js';
import type { AccountRecord, SessionLookup, SessionOrigin } from './store.js';

/** Session cookies: HttpOnly, a random id, nothing else. The three origins share a host, so names differ. */
export const SESSION_COOKIES: Readonly<Record<SessionOrigin, string>> = {
  portal: '_customers_dot_session',
  gitlab: '_gitlab_session',
};
/** The portal's copy of the OAuth `state` it sent to GitLab.com. */
export const STATE_COOKIE = '_customers_dot_oauth_state';

export const SIGN_IN_REQUIRED = 'You need to sign in or sign up before continuing.';
export const SESSION_EXPIRED = 'Your session expired. Please sign in again.';

export function setCookie(name: string, value: string, maxAgeSeconds?: number): string {
  const age = maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`;
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax${age}`;
}

export function clearCookie(name: string): string {
  return setCookie(name, '', 0);
}

export function lookup(app: SandboxApp, ctx: RouteContext, origin: SessionOrigin): SessionLookup {
  const sid = cookie(ctx.req, SESSION_COOKIES[origin]);
  return app.store.session(sid, origin, app.settings.sessionTtlMs, app.mono());
}

export function currentAccount(
  app: SandboxApp,
  ctx: RouteContext,
  origin: SessionOrigin = 'portal',
): AccountRecord | undefined {
  const found = lookup(app, ctx, origin);
  return found.kind === 'account' ? found.account : undefined;
}

/**
 * The portal's signed-in account, or undefined after answering: pages redirect to sign in
 * (and back afterwards, saying when the session expired), API calls get 401 JSON.
 */
export function requireAccount(app: SandboxApp, ctx: RouteContext): AccountRecord | undefined {
  const found = lookup(app, ctx, 'portal');
  if (found.kind === 'account') return found.account;
  const message = found.kind === 'expired' ? SESSION_EXPIRED : SIGN_IN_REQUIRED;
  if (ctx.url.pathname.startsWith('/api/')) {
    sendJson(ctx.res, 401, { error: message });
  } else {
    const back = encodeURIComponent(ctx.url.pathname + ctx.url.search);
    const flag = found.kind === 'expired' ? '&expired=1' : '';
    redirect(ctx.res, `/customers/sign_in?return_to=${back}${flag}`, {}, 302);
  }
  return undefined;
}

/** GitLab.com's signed-in user, or undefined after redirecting to its sign-in page. */
export function requireGitlabUser(app: SandboxApp, ctx: RouteContext): AccountRecord | undefined {
  const found = lookup(app, ctx, 'gitlab');
  if (found.kind === 'account') return found.account;
  const back = encodeURIComponent(ctx.url.pathname + ctx.url.search);
  const flag = found.kind === 'expired' ? '&expired=1' : '';
  redirect(ctx.res, `/users/sign_in?redirect_to=${back}${flag}`, {}, 302);
  return undefined;
}

/** Only local paths: an open redirect would be a real portal's bug, not one to imitate. */
export function safeReturnTo(value: string | null | undefined, fallback = '/subscriptions'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return fallback;
  }
  return value;
}
