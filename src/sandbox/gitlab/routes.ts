import { createHash, timingSafeEqual } from 'node:crypto';
import type { SandboxApp } from '../app.js';
import { clearCookie, lookup, requireGitlabUser, safeReturnTo, SESSION_COOKIES, setCookie } from '../auth.js';
import { cookie, readForm, redirect, type RouteContext, type Router } from '../http.js';
import { PLAN_NAMES } from '../pricing.js';
import { isProvisioned } from '../rules.js';
import type { AccountRecord } from '../store.js';
import { CALLBACK_PATH, CLIENT_ID, verifyOtp } from './oauth.js';
import {
  billingPage,
  consentPage,
  gitlabMessagePage,
  gitlabSignInPage,
  oauthErrorPage,
  twoFactorPage,
} from './pages.js';

export const INVALID_LOGIN = 'Invalid login or password.';
export const INVALID_OTP = 'Invalid two-factor code.';

function samePassword(a: string, b: string): boolean {
  const hash = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(hash(a), hash(b));
}

const AUTHORIZE_PARAMS = ['client_id', 'redirect_uri', 'response_type', 'state', 'scope'] as const;

/** The authorize request's parameters, or the error GitLab (Doorkeeper) shows for a bad one. */
function authorizeParams(
  app: SandboxApp,
  source: { get(name: string): string | null },
): Record<string, string> | { error: string } {
  const params: Record<string, string> = {};
  for (const name of AUTHORIZE_PARAMS) params[name] = source.get(name) ?? '';
  if (params.client_id !== CLIENT_ID) {
    return {
      error:
        'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
    };
  }
  if (params.redirect_uri !== `${app.urls.portal}${CALLBACK_PATH}`) {
    return { error: 'The redirect URI included is not valid.' };
  }
  if (params.response_type !== 'code') {
    return { error: 'The authorization server does not support this response type.' };
  }
  return params;
}

function backToClient(params: Record<string, string>, query: Record<string, string>): string {
  const url = new URL(params.redirect_uri ?? '');
  url.search = new URLSearchParams({ ...query, state: params.state ?? '' }).toString();
  return url.href;
}

/** GitLab.com: sign-in with optional two-factor code, OAuth authorize with consent, group billing. */
export function gitlabRoutes(router: Router, app: SandboxApp): void {
  const signedIn = (ctx: RouteContext, account: AccountRecord, redirectTo: string): void => {
    const sid = app.store.createSession(account.id, 'gitlab', app.mono());
    redirect(ctx.res, redirectTo, { 'set-cookie': setCookie(SESSION_COOKIES.gitlab, sid) });
  };

  router.add('GET', '/', (ctx) => {
    const account = requireGitlabUser(app, ctx);
    if (!account) return;
    app.page(
      ctx,
      200,
      gitlabMessagePage({
        title: 'Welcome to GitLab',
        message: `Signed in as ${account.username}.`,
        username: account.username,
      }),
    );
  });

  router.add('GET', '/users/sign_in', (ctx) => {
    const redirectTo = safeReturnTo(ctx.url.searchParams.get('redirect_to'), '/');
    const expired = ctx.url.searchParams.get('expired') === '1';
    app.page(
      ctx,
      200,
      gitlabSignInPage({
        redirectTo,
        ...(expired ? { notice: 'Your session expired. Please sign in again to continue.' } : {}),
      }),
    );
  });

  router.add('POST', '/users/sign_in', async (ctx) => {
    const form = await readForm(ctx.req);
    const pendingKey = form.get('pending');
    if (pendingKey !== null) {
      const pending = app.store.oauth.pendingTwoFactor(pendingKey, app.mono());
      const account = pending === undefined ? undefined : app.store.accounts.get(pending.accountId);
      if (pending === undefined || account?.otpSecret === undefined) {
        app.page(
          ctx,
          401,
          gitlabSignInPage({ redirectTo: '/', error: 'Your sign-in expired. Sign in again.' }),
        );
        return;
      }
      const step = verifyOtp(
        account.otpSecret,
        (form.get('user[otp_attempt]') ?? '').trim(),
        account.lastOtpStep,
        Date.now(),
      );
      if (step === undefined) {
        app.page(ctx, 401, twoFactorPage({ pending: pendingKey, error: INVALID_OTP }));
        return;
      }
      account.lastOtpStep = step;
      app.store.oauth.finishTwoFactor(pendingKey, app.mono());
      signedIn(ctx, account, pending.redirectTo);
      return;
    }
    const redirectTo = safeReturnTo(form.get('redirect_to'), '/');
    const account = app.store.findAccountByLogin(form.get('user[login]') ?? '');
    if (account === undefined || !samePassword(form.get('user[password]') ?? '', account.password)) {
      app.page(ctx, 401, gitlabSignInPage({ redirectTo, error: INVALID_LOGIN }));
      return;
    }
    if (account.otpSecret !== undefined) {
      const pending = app.store.oauth.startTwoFactor({ accountId: account.id, redirectTo }, app.mono());
      app.page(ctx, 200, twoFactorPage({ pending }));
      return;
    }
    signedIn(ctx, account, redirectTo);
  });

  router.add('POST', '/users/sign_out', (ctx) => {
    const sid = cookie(ctx.req, SESSION_COOKIES.gitlab);
    if (sid !== undefined) app.store.sessions.delete(sid);
    redirect(ctx.res, '/users/sign_in', { 'set-cookie': clearCookie(SESSION_COOKIES.gitlab) });
  });

  router.add('GET', '/oauth/authorize', (ctx) => {
    const params = authorizeParams(app, ctx.url.searchParams);
    if ('error' in params) {
      app.page(ctx, 400, oauthErrorPage(params.error));
      return;
    }
    const account = requireGitlabUser(app, ctx);
    if (!account) return;
    if (!account.consented) {
      app.page(ctx, 200, consentPage({ username: account.username, params }));
      return;
    }
    const code = app.store.oauth.issueCode(
      { accountId: account.id, clientId: CLIENT_ID, redirectUri: params.redirect_uri ?? '' },
      app.mono(),
    );
    redirect(ctx.res, backToClient(params, { code }), {}, 302);
  });

  router.add('POST', '/oauth/authorize', async (ctx) => {
    const form = await readForm(ctx.req);
    const params = authorizeParams(app, form);
    if ('error' in params) {
      app.page(ctx, 400, oauthErrorPage(params.error));
      return;
    }
    const found = lookup(app, ctx, 'gitlab');
    if (found.kind !== 'account') {
      redirect(
        ctx.res,
        `/users/sign_in?redirect_to=${encodeURIComponent(`/oauth/authorize?${new URLSearchParams(params).toString()}`)}`,
      );
      return;
    }
    if (form.get('decision') !== 'authorize') {
      redirect(ctx.res, backToClient(params, { error: 'access_denied' }));
      return;
    }
    found.account.consented = true;
    const code = app.store.oauth.issueCode(
      { accountId: found.account.id, clientId: CLIENT_ID, redirectUri: params.redirect_uri ?? '' },
      app.mono(),
    );
    redirect(ctx.res, backToClient(params, { code }));
  });

  router.add('GET', '/groups/:group/-/billings', (ctx) => {
    const account = requireGitlabUser(app, ctx);
    if (!account) return;
    const group = app.store.groups.get(ctx.params.group ?? '');
    if (group === undefined || group.accountId !== account.id) {
      app.page(
        ctx,
        404,
        gitlabMessagePage({
          title: 'Page not found',
          message: 'The group you were looking for could not be found.',
          username: account.username,
        }),
      );
      return;
    }
    const sub = app.store.subscriptionOfGroup(group.path);
    const planName = sub !== undefined && isProvisioned(sub) ? PLAN_NAMES[sub.plan] : undefined;
    app.page(ctx, 200, billingPage({ username: account.username, groupName: group.name, planName }));
  });

  router.add('GET', '/-/subscriptions/groups/new', (ctx) => {
    const account = requireGitlabUser(app, ctx);
    if (!account) return;
    app.page(
      ctx,
      200,
      gitlabMessagePage({
        title: 'Create a group first',
        message:
          'A subscription is bought for a top-level group you own. Creating groups is not part of the sandbox: every sandbox account already owns one.',
        username: account.username,
      }),
    );
  });
}
