import type { SandboxApp } from '../app.js';
import {
  SESSION_COOKIES,
  SESSION_EXPIRED,
  SIGN_IN_REQUIRED,
  STATE_COOKIE,
  clearCookie,
  currentAccount,
  requireAccount,
  safeReturnTo,
  setCookie,
} from '../auth.js';
import { isAsset, sendAsset } from '../client/assets.js';
import { CALLBACK_PATH, CLIENT_ID, OAuthError, STATE_TTL_MS } from '../gitlab/oauth.js';
import { HttpError, type RouteContext, type Router, cookie, readForm, redirect } from '../http.js';
import { EMAIL_LINK_UNSUPPORTED, errorPage, invoicesPage, signInPage } from '../pages/simple.js';
import { CANCEL_REASONS, NOTICES, subscriptionsPage } from '../pages/subscriptions.js';
import type { AccountRecord, Subscription } from '../store.js';

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

function ownSubscription(app: SandboxApp, account: AccountRecord, ctx: RouteContext): Subscription {
  const sub = app.store.subscriptions.get(ctx.params.id ?? '');
  if (sub === undefined || sub.accountId !== account.id) throw new HttpError(404, 'No such subscription.');
  return sub;
}

/** Subscriptions & purchases, the actions menu (cancel with a reason, auto-renew), invoices, scripts. */
export function manageRoutes(router: Router, app: SandboxApp): void {
  router.add('GET', '/subscriptions', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const notice = NOTICES[ctx.url.searchParams.get('notice') ?? ''];
    app.page(
      ctx,
      200,
      subscriptionsPage({
        username: account.username,
        subscriptions: app.store.subscriptionsOf(account.id),
        groupOf: (path) => app.store.groups.get(path),
        today: app.today(),
        ...(notice === undefined ? {} : { notice }),
      }),
    );
  });

  router.add('POST', '/subscriptions/:id/cancel', async (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const sub = ownSubscription(app, account, ctx);
    const form = await readForm(ctx.req);
    const reason = form.get('reason') ?? '';
    if (!(reason in CANCEL_REASONS)) {
      throw new HttpError(
        422,
        `Choose a reason for cancelling (one of ${Object.keys(CANCEL_REASONS).join(', ')}).`,
      );
    }
    if ((form.get('comment') ?? '').length > 1000)
      throw new HttpError(422, 'comment: at most 1000 characters.');
    sub.autoRenew = false;
    sub.cancelReason = reason;
    redirect(ctx.res, '/subscriptions?notice=auto_renew_off');
  });

  router.add('POST', '/subscriptions/:id/auto_renew', async (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const sub = ownSubscription(app, account, ctx);
    const value = (await readForm(ctx.req)).get('auto_renew');
    if (value !== 'on')
      throw new HttpError(422, 'auto_renew must be "on": cancel through the cancel dialog.');
    sub.autoRenew = true;
    delete sub.cancelReason;
    redirect(ctx.res, '/subscriptions?notice=auto_renew_on');
  });

  router.add('GET', '/invoices', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    app.page(ctx, 200, invoicesPage({ username: account.username, orders: app.store.ordersOf(account.id) }));
  });

  router.add('GET', '/assets/:name', (ctx) => {
    const name = ctx.params.name ?? '';
    if (!isAsset(name)) throw new HttpError(404, `Not found: /assets/${name}`);
    sendAsset(ctx.res, name);
  });
}
