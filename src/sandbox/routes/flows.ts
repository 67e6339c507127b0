import type { SandboxApp } from '../app.js';
import { requireAccount } from '../auth.js';
import { HttpError } from '../http/errors.js';
import type { Router } from '../http/router.js';
import { ownedSubscription } from '../orders.js';
import { checkoutPage } from '../pages/checkout.js';
import { extraSeatsPage, renewPage } from '../pages/seat-change.js';
import { errorPage } from '../pages/simple.js';
import { isPlanId, PLAN_IDS } from '../pricing.js';
import { renewalRefusal, seatsRefusal } from '../rules.js';
import { randomId } from '../store.js';

/** The three purchase pages: checkout, add seats, renew (each refuses clearly when it must). */
export function flowRoutes(router: Router, app: SandboxApp): void {
  router.add('GET', '/subscriptions/new', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const plan = ctx.url.searchParams.get('plan_id') ?? 'premium';
    if (!isPlanId(plan)) {
      throw new HttpError(404, `Unknown plan_id "${plan}": use one of ${PLAN_IDS.join(', ')}.`);
    }
    const groups = app.store
      .groupsOf(account.id)
      .filter((g) => app.store.subscriptionOfGroup(g.path) === undefined);
    app.page(ctx, 200, checkoutPage({ email: account.email, plan, groups, idempotencyKey: randomId(12) }));
  });

  router.add('GET', '/gitlab/namespaces/:group/extra_seats', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const { sub, group } = ownedSubscription(app, account, ctx.params.group ?? '');
    const refusal = seatsRefusal(sub, app.today());
    if (refusal !== undefined) {
      app.page(
        ctx,
        409,
        errorPage({ status: 409, title: 'Seats cannot be added', message: refusal, email: account.email }),
      );
      return;
    }
    app.page(ctx, 200, extraSeatsPage({ email: account.email, sub, group, idempotencyKey: randomId(12) }));
  });

  router.add('GET', '/gitlab/namespaces/:group/renew', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const { sub, group } = ownedSubscription(app, account, ctx.params.group ?? '');
    const refusal = renewalRefusal(sub, app.today());
    if (refusal !== undefined) {
      app.page(
        ctx,
        409,
        errorPage({
          status: 409,
          title: 'Renewal not available yet',
          message: refusal,
          email: account.email,
        }),
      );
      return;
    }
    app.page(ctx, 200, renewPage({ email: account.email, sub, group, idempotencyKey: randomId(12) }));
  });
}
