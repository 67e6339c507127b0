import {
  STATES,
  idempotencyOnly,
  isCountry,
  orderNewSchema,
  orderRenewalSchema,
  orderSeatsSchema,
  previewNewSchema,
  previewRenewalSchema,
  previewSeatsSchema,
} from '../api-schemas.js';
import type { SandboxApp } from '../app.js';
import { requireAccount } from '../auth.js';
import { HttpError, type RouteContext, type Router, parseWith, readJson, sendJson } from '../http.js';
import {
  ownedSubscription,
  placeNewOrder,
  placeRenewalOrder,
  placeSeatsOrder,
  purchasableGroup,
  quoted,
  renewalRefusal,
  replayed,
  savedCardOf,
  seatsRefusal,
} from '../orders.js';
import { checkoutPage } from '../pages/purchase.js';
import { extraSeatsPage, renewPage } from '../pages/purchase.js';
import { errorPage } from '../pages/simple.js';
import {
  CATALOGUE_PLAN_IDS,
  PLAN_IDS,
  type Quote,
  extraSeatsQuote,
  newSubscriptionQuote,
  planOfCatalogueId,
  previewBody,
  renewalQuote,
} from '../pricing.js';
import { type AccountRecord, type Order, randomId } from '../store.js';

export const FORM_DOWN_MESSAGE = 'Credit card form failed to load. Please try again.';
export const PREVIEW_FAILED_MESSAGE = 'Something went wrong while loading price details.';

function checkAddress(address: { country: string; state?: string | undefined }): void {
  if (!isCountry(address.country))
    throw new HttpError(422, `address.country: unknown country "${address.country}"`);
  const states = STATES[address.country];
  if (states === undefined) return;
  if (!states.some(([code]) => code === address.state)) {
    throw new HttpError(
      422,
      `address.state: a state is required for ${address.country} (got "${address.state ?? ''}")`,
    );
  }
}

/** Price preview, payment form parameters and order placement (JSON in and out). */
export function apiRoutes(router: Router, app: SandboxApp): void {
  const preview = (parse: (account: AccountRecord, body: unknown) => Quote) => async (ctx: RouteContext) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    const quote = parse(account, await readJson(ctx.req));
    if (app.faults.pricePreviewFails()) throw new HttpError(500, PREVIEW_FAILED_MESSAGE);
    sendJson(ctx.res, 200, previewBody(quote, app.faults.pricingWrong()));
  };
  router.add(
    'POST',
    '/api/price_preview/new',
    preview((_account, body) => {
      const input = parseWith(previewNewSchema, body);
      return quoted(() =>
        newSubscriptionQuote(app.config.catalogue, input.plan, input.quantity, app.today()),
      );
    }),
  );
  router.add(
    'POST',
    '/api/price_preview/extra_seats',
    preview((account, body) => {
      const input = parseWith(previewSeatsSchema, body);
      const { sub } = ownedSubscription(app, account, input.namespaceId);
      return quoted(() => extraSeatsQuote(app.config.catalogue, sub, input.additional, app.today()));
    }),
  );
  router.add(
    'POST',
    '/api/price_preview/renewal',
    preview((account, body) => {
      const input = parseWith(previewRenewalSchema, body);
      const { sub } = ownedSubscription(app, account, input.namespaceId);
      return quoted(() => renewalQuote(app.config.catalogue, sub.plan, input.quantity, sub.termEnd));
    }),
  );

  router.add('GET', '/api/payment_form', (ctx) => {
    const account = requireAccount(app, ctx);
    if (!account) return;
    if (app.faults.payment(['form_down']) !== undefined) throw new HttpError(503, FORM_DOWN_MESSAGE);
    const parent = `http://${ctx.req.headers.host ?? new URL(app.urls.portal).host}`;
    const token = app.store.issuePaymentToken(account.id);
    const query = new URLSearchParams({ parent, token }).toString();
    sendJson(ctx.res, 200, { url: `${app.urls.payment}/hpm/page?${query}` });
  });

  const order =
    (place: (account: AccountRecord, body: unknown, key: string) => Order) => async (ctx: RouteContext) => {
      const account = requireAccount(app, ctx);
      if (!account) return;
      const body = await readJson(ctx.req);
      const { idempotencyKey } = parseWith(idempotencyOnly, body);
      const previous = replayed(app, account, idempotencyKey);
      const result = previous ?? place(account, body, idempotencyKey);
      sendJson(ctx.res, previous === undefined ? 201 : 200, {
        orderId: result.id,
        subscriptionId: result.subscriptionId,
        redirect: result.redirect,
        replayed: previous !== undefined,
      });
    };
  router.add(
    'POST',
    '/api/orders/new',
    order((account, body, key) => {
      const input = parseWith(orderNewSchema, body);
      if (input.address !== undefined) checkAddress(input.address);
      return placeNewOrder(
        app,
        { account, kind: 'new', idempotencyKey: key, paymentMethodId: input.paymentMethodId },
        input,
      );
    }),
  );
  router.add(
    'POST',
    '/api/orders/extra_seats',
    order((account, body, key) => {
      const input = parseWith(orderSeatsSchema, body);
      return placeSeatsOrder(
        app,
        { account, kind: 'extra_seats', idempotencyKey: key, paymentMethodId: input.paymentMethodId },
        input,
      );
    }),
  );
  router.add(
    'POST',
    '/api/orders/renewal',
    order((account, body, key) => {
      const input = parseWith(orderRenewalSchema, body);
      return placeRenewalOrder(
        app,
        { account, kind: 'renewal', idempotencyKey: key, paymentMethodId: input.paymentMethodId },
        input,
      );
    }),
  );
}

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

  // Add seats and renew: a page of an owned subscription, or why it cannot be had today.
  const subscriptionPage = (
    path: string,
    refusalOf: typeof seatsRefusal,
    title: string,
    render: typeof extraSeatsPage,
  ): void => {
    router.add('GET', path, (ctx) => {
      const account = requireAccount(app, ctx);
      if (!account) return;
      const { sub, group } = ownedSubscription(app, account, namespaceIdOf(ctx.params.id, 'namespace id'));
      const refusal = refusalOf(sub, app.today());
      if (refusal !== undefined) {
        app.page(ctx, 409, errorPage({ status: 409, title, message: refusal, username: account.username }));
        return;
      }
      const savedCard = savedCardOf(app, account);
      app.page(
        ctx,
        200,
        render({ username: account.username, sub, group, savedCard, idempotencyKey: randomId(12) }),
      );
    });
  };
  subscriptionPage(
    '/gitlab/namespaces/:id/extra_seats',
    seatsRefusal,
    'Seats cannot be added',
    extraSeatsPage,
  );
  subscriptionPage('/gitlab/namespaces/:id/renew', renewalRefusal, 'Renewal not available yet', renewPage);
}
