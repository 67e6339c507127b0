import type { SandboxApp } from '../app.js';
import { requireAccount } from '../auth.js';
import { HttpError } from '../http/errors.js';
import { readForm } from '../http/request.js';
import { redirect } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { billingPage, invoicesPage } from '../pages/simple.js';
import { NOTICES, subscriptionsPage } from '../pages/subscriptions.js';
import { PLAN_NAMES } from '../pricing.js';
import { isProvisioned } from '../rules.js';

/** Subscriptions list, auto-renew toggle, invoices, and the group billing page. */
export function manageRoutes(router: Router, app: SandboxApp): void {
  router.add('GET', '/subscriptions', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const notice = NOTICES[ctx.url.searchParams.get('notice') ?? ''];
    app.page(
      ctx,
      200,
      subscriptionsPage({
        email: account.email,
        subscriptions: app.store.subscriptionsOf(account.id),
        groups: app.store.groups,
        today: app.today(),
        ...(notice === undefined ? {} : { notice }),
      }),
    );
  });

  router.add('POST', '/subscriptions/:id/auto_renew', async (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const sub = app.store.subscriptions.get(ctx.params.id ?? '');
    if (sub === undefined || sub.accountId !== account.id) throw new HttpError(404, 'No such subscription.');
    const value = (await readForm(ctx.req)).get('auto_renew');
    if (value !== 'on' && value !== 'off') throw new HttpError(422, 'auto_renew must be "on" or "off".');
    sub.autoRenew = value === 'on';
    redirect(ctx.res, `/subscriptions?notice=auto_renew_${value}`);
  });

  router.add('GET', '/invoices', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    app.page(ctx, 200, invoicesPage({ email: account.email, orders: app.store.ordersOf(account.id) }));
  });

  router.add('GET', '/groups/:group/-/billings', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const group = app.store.groups.get(ctx.params.group ?? '');
    if (group === undefined || group.accountId !== account.id) throw new HttpError(404, 'No such group.');
    const sub = app.store.subscriptionOfGroup(group.path);
    const planName = sub !== undefined && isProvisioned(sub) ? PLAN_NAMES[sub.plan] : undefined;
    app.page(ctx, 200, billingPage({ email: account.email, groupName: group.name, planName }));
  });
}
