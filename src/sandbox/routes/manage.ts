import type { SandboxApp } from '../app.js';
import { requireAccount } from '../auth.js';
import { isAsset, sendAsset } from '../client/assets.js';
import { HttpError, readForm, redirect, type RouteContext, type Router } from '../http.js';
import { invoicesPage } from '../pages/simple.js';
import { CANCEL_REASONS, NOTICES, subscriptionsPage } from '../pages/subscriptions.js';
import type { AccountRecord, Subscription } from '../store.js';

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
