import type { SandboxApp } from '../app.js';
import { requireAccount } from '../auth.js';
import { HttpError, type Router } from '../http.js';
import { ownedSubscription, purchasableGroup, savedCardOf } from '../orders.js';
import { checkoutPage } from '../pages/checkout.js';
import { extraSeatsPage, renewPage } from '../pages/seat-change.js';
import { errorPage } from '../pages/simple.js';
import { CATALOGUE_PLAN_IDS, PLAN_IDS, planOfCatalogueId } from '../pricing.js';
import { renewalRefusal, seatsRefusal } from '../rules.js';
import { randomId } from '../store.js';

/** A numeric namespace id from a path or query, or a 400 naming it. */
export function namespaceIdOf(raw: string | null | undefined, name: string): number {
  if (raw === null || raw === undefined || raw === '') {
    throw new HttpError(400, `${name} is required: the numeric id of the GitLab group.`);
  }
  if (!/^[1-9]\d{0,9}$/.test(raw))
    throw new HttpError(400, `${name} must be a numeric group id, got "${raw}".`);
  return Number(raw);
}

/** The three purchase pages: checkout, add seats, renew (each refuses clearly when it must). */
export function flowRoutes(router: Router, app: SandboxApp): void {
  router.add('GET', '/subscriptions/new', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const query = ctx.url.searchParams;
    const planId = query.get('plan_id');
    const plan = planOfCatalogueId(planId);
    if (plan === undefined) {
      const known = PLAN_IDS.map((p) => `${CATALOGUE_PLAN_IDS[p]} (${p})`).join(', ');
      throw new HttpError(404, `Unknown plan_id "${planId ?? ''}": use one of ${known}.`);
    }
    const group = purchasableGroup(
      app,
      account,
      namespaceIdOf(query.get('gl_namespace_id'), 'gl_namespace_id'),
    );
    app.page(
      ctx,
      200,
      checkoutPage({
        username: account.username,
        plan,
        group,
        billing: account.billing,
        savedCard: savedCardOf(app, account),
        idempotencyKey: randomId(12),
      }),
    );
  });

  router.add('GET', '/gitlab/namespaces/:id/extra_seats', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const { sub, group } = ownedSubscription(app, account, namespaceIdOf(ctx.params.id, 'namespace id'));
    const refusal = seatsRefusal(sub, app.today());
    if (refusal !== undefined) {
      app.page(
        ctx,
        409,
        errorPage({
          status: 409,
          title: 'Seats cannot be added',
          message: refusal,
          username: account.username,
        }),
      );
      return;
    }
    const savedCard = savedCardOf(app, account);
    app.page(
      ctx,
      200,
      extraSeatsPage({ username: account.username, sub, group, savedCard, idempotencyKey: randomId(12) }),
    );
  });

  router.add('GET', '/gitlab/namespaces/:id/renew', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const { sub, group } = ownedSubscription(app, account, namespaceIdOf(ctx.params.id, 'namespace id'));
    const refusal = renewalRefusal(sub, app.today());
    if (refusal !== undefined) {
      app.page(
        ctx,
        409,
        errorPage({
          status: 409,
          title: 'Renewal not available yet',
          message: refusal,
          username: account.username,
        }),
      );
      return;
    }
    const savedCard = savedCardOf(app, account);
    app.page(
      ctx,
      200,
      renewPage({ username: account.username, sub, group, savedCard, idempotencyKey: randomId(12) }),
    );
  });
}
