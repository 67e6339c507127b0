import { timingSafeEqual, createHash } from 'node:crypto';
import type { SandboxApp } from '../app.js';
import {
  clearedSessionCookie,
  currentAccount,
  safeReturnTo,
  sessionCookie,
  SESSION_COOKIE,
} from '../auth.js';
import { cookie, readForm } from '../http/request.js';
import { redirect } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { signInPage } from '../pages/sign-in.js';

function samePassword(a: string, b: string): boolean {
  const hash = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(hash(a), hash(b));
}

/** Sign in (GET form, POST credentials) and sign out. */
export function sessionRoutes(router: Router, app: SandboxApp): void {
  router.add('GET', '/', (ctx) => {
    redirect(ctx.res, currentAccount(app, ctx) === undefined ? '/customers/sign_in' : '/subscriptions');
  });

  router.add('GET', '/customers/sign_in', (ctx) => {
    const returnTo = safeReturnTo(ctx.url.searchParams.get('return_to'));
    const signedOut = ctx.url.searchParams.get('signed_out') === '1';
    app.page(
      ctx,
      200,
      signInPage({ returnTo, ...(signedOut ? { notice: 'Signed out successfully.' } : {}) }),
    );
  });

  router.add('POST', '/customers/sign_in', async (ctx) => {
    const form = await readForm(ctx.req);
    const email = (form.get('user[email]') ?? '').trim();
    const password = form.get('user[password]') ?? '';
    const returnTo = safeReturnTo(form.get('return_to'));
    const account = email === '' ? undefined : app.store.findAccountByEmail(email);
    if (account === undefined || !samePassword(password, account.password)) {
      app.page(ctx, 401, signInPage({ error: 'Invalid email or password.', email, returnTo }));
      return;
    }
    const sid = app.store.createSession(account.id);
    redirect(ctx.res, returnTo, { 'set-cookie': sessionCookie(sid) });
  });

  router.add('POST', '/customers/sign_out', (ctx) => {
    const sid = cookie(ctx.req, SESSION_COOKIE);
    if (sid !== undefined) app.store.sessions.delete(sid);
    redirect(ctx.res, '/customers/sign_in?signed_out=1', { 'set-cookie': clearedSessionCookie() });
  });
}
