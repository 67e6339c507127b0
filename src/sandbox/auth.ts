import type { SandboxApp } from './app.js';
import { cookie } from './http/request.js';
import { redirect, sendJson } from './http/respond.js';
import type { RouteContext } from './http/router.js';
import type { AccountRecord } from './store.js';

/** The session cookie: HttpOnly, random id, nothing else in it. */
export const SESSION_COOKIE = '_customers_dot_session';

export function sessionCookie(sid: string): string {
  return `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

export function currentAccount(app: SandboxApp, ctx: RouteContext): AccountRecord | undefined {
  const sid = cookie(ctx.req, SESSION_COOKIE);
  if (sid === undefined) return undefined;
  const id = app.store.sessions.get(sid);
  return id === undefined ? undefined : app.store.accounts.get(id);
}

/**
 * The signed-in account, or undefined after answering: pages redirect to sign in (and
 * back afterwards), API calls get 401 JSON.
 */
export function requireAccount(app: SandboxApp, ctx: RouteContext): AccountRecord | undefined {
  const account = currentAccount(app, ctx);
  if (account !== undefined) return account;
  if (ctx.url.pathname.startsWith('/api/')) {
    sendJson(ctx.res, 401, { error: 'You need to sign in or sign up before continuing.' });
  } else {
    const back = encodeURIComponent(ctx.url.pathname + ctx.url.search);
    redirect(ctx.res, `/customers/sign_in?return_to=${back}`);
  }
  return undefined;
}

/** Only local paths: an open redirect would be a real portal's bug, not one to imitate. */
export function safeReturnTo(value: string | null | undefined): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return '/subscriptions';
  }
  return value;
}
