import type { SandboxApp } from '../app.js';
import { requireAccount } from '../auth.js';
import {
  idempotencyOnly,
  orderNewSchema,
  orderRenewalSchema,
  orderSeatsSchema,
  previewNewSchema,
  previewRenewalSchema,
  previewSeatsSchema,
} from '../api-schemas.js';
import { isCountry, STATES } from '../geo.js';
import { HttpError, parseWith, readJson, sendJson, type RouteContext, type Router } from '../http.js';
import {
  ownedSubscription,
  placeNewOrder,
  placeRenewalOrder,
  placeSeatsOrder,
  quoted,
  replayed,
} from '../orders.js';
import { extraSeatsQuote, newSubscriptionQuote, renewalQuote, type Quote } from '../pricing.js';
import { previewBody } from '../quote-display.js';
import type { AccountRecord, Order } from '../store.js';

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
