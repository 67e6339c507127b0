import type { SandboxApp } from '../app.js';
import {
  clearCookie,
  currentAccount,
  safeReturnTo,
  SESSION_COOKIES,
  SESSION_EXPIRED,
  setCookie,
  SIGN_IN_REQUIRED,
  STATE_COOKIE,
} from '../auth.js';
import { CALLBACK_PATH, CLIENT_ID, OAuthError, STATE_TTL_MS } from '../gitlab/oauth.js';
import { cookie, readForm, redirect, type Router } from '../http.js';
import { errorPage } from '../pages/simple.js';
import { EMAIL_LINK_UNSUPPORTED, signInPage } from '../pages/sign-in.js';

/** The portal's side of signing in: the sign-in page, the OAuth redirect and callback, sign out. */
export function sessionRoutes(router: Router, app: SandboxApp): void {
  const callbackUrl = (): string => `${app.urls.portal}${CALLBACK_PATH}`;

  router.add('GET', '/', (ctx) => {
    redirect(ctx.res, currentAccount(app, ctx) === undefined ? '/customers/sign_in' : '/subscriptions');
  });

  router.add('GET', '/customers/sign_in', (ctx) => {
    const query = ctx.url.searchParams;
    const returnTo = safeReturnTo(query.get('return_to'));
    let error: string | undefined;
    if (query.get('expired') === '1') error = SESSION_EXPIRED;
    else if (query.has('return_to')) error = SIGN_IN_REQUIRED;
    app.page(
      ctx,
      200,
      signInPage({
        returnTo,
        ...(error === undefined ? {} : { error }),
        ...(query.get('signed_out') === '1' ? { notice: 'Signed out successfully.' } : {}),
      }),
    );
  });

  router.add('POST', '/customers/sign_in/email', async (ctx) => {
    const returnTo = safeReturnTo((await readForm(ctx.req)).get('return_to'));
    app.page(ctx, 422, signInPage({ returnTo, error: EMAIL_LINK_UNSUPPORTED }));
  });

  router.add('POST', '/auth/gitlab', async (ctx) => {
    const returnTo = safeReturnTo((await readForm(ctx.req)).get('return_to'));
    const state = app.store.oauth.issueState(returnTo, app.mono());
    const authorize = new URL('/oauth/authorize', app.urls.gitlab);
    authorize.search = new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: callbackUrl(),
      response_type: 'code',
      state,
      scope: 'read_user',
    }).toString();
    redirect(
      ctx.res,
      authorize.href,
      { 'set-cookie': setCookie(STATE_COOKIE, state, STATE_TTL_MS / 1000) },
      302,
    );
  });

  router.add('GET', CALLBACK_PATH, (ctx) => {
    const query = ctx.url.searchParams;
    const fail = (status: number, message: string): void =>
      app.page(ctx, status, errorPage({ status, title: 'Sign-in failed', message }), {
        'set-cookie': clearCookie(STATE_COOKIE),
      });
    try {
      const returnTo = app.store.oauth.takeState(
        query.get('state'),
        cookie(ctx.req, STATE_COOKIE),
        app.mono(),
      );
      if (query.get('error') === 'access_denied') {
        fail(401, 'Sign-in was cancelled: GitLab.com did not authorize the Customers Portal.');
        return;
      }
      const accountId = app.store.oauth.exchange(query.get('code'), CLIENT_ID, callbackUrl(), app.mono());
      const sid = app.store.createSession(accountId, 'portal', app.mono());
      redirect(
        ctx.res,
        returnTo,
        { 'set-cookie': [setCookie(SESSION_COOKIES.portal, sid), clearCookie(STATE_COOKIE)] },
        302,
      );
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      fail(422, error.message);
    }
  });

  router.add('POST', '/customers/sign_out', (ctx) => {
    const sid = cookie(ctx.req, SESSION_COOKIES.portal);
    if (sid !== undefined) app.store.sessions.delete(sid);
    redirect(ctx.res, '/customers/sign_in?signed_out=1', {
      'set-cookie': clearCookie(SESSION_COOKIES.portal),
    });
  });
}
