import { z } from 'zod';
import type { SandboxApp } from '../app.js';
import { HttpError, parseWith, readJson, sendHtml, sendJson, type Router } from '../http.js';
import { sendAsset } from '../client/assets.js';
import { randomId } from '../store.js';
import { CardFieldError, checkCard, PAYMENT_MESSAGES, RATE_LIMIT_MESSAGE } from './cards.js';
import { hostedPaymentPage } from './page.js';

export const FORM_EXPIRED = 'The payment form has expired. Refresh the page to try again.';

const cardSchema = z.strictObject({
  token: z.string().max(100),
  holderName: z.string().max(200),
  number: z.string().max(40),
  expMonth: z.string().max(4),
  expYear: z.string().max(6),
  cvv: z.string().max(6),
});

/** CORS for the portal's origin, should it call the provider directly (with the synthetic header). */
function corsHeaders(app: SandboxApp, origin: string | undefined): Record<string, string> {
  if (origin === undefined || new URL(app.urls.portal).port !== safePort(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type, x-synthetic-journey',
    vary: 'origin',
  };
}

function safePort(origin: string): string | undefined {
  try {
    return new URL(origin).port;
  } catch {
    return undefined;
  }
}

/** The payment origin: the hosted form page and the endpoint that tokenises a card. */
export function paymentRoutes(router: Router, app: SandboxApp): void {
  router.add('GET', '/hpm/page', (ctx) => {
    const parent = ctx.url.searchParams.get('parent') ?? '';
    let origin: string;
    try {
      origin = new URL(parent).origin;
    } catch {
      throw new HttpError(400, 'parent must be the origin of the page that frames the payment form');
    }
    if (origin !== parent)
      throw new HttpError(400, 'parent must be an origin (scheme://host:port), nothing more');
    const token = ctx.url.searchParams.get('token') ?? '';
    if (!app.store.paymentTokens.has(token)) throw new HttpError(401, FORM_EXPIRED);
    sendHtml(
      ctx.res,
      200,
      hostedPaymentPage({ parentOrigin: origin, token, year: app.config.now().getUTCFullYear() }),
    );
  });

  router.add('GET', '/hpm/payment-form.js', (ctx) => sendAsset(ctx.res, 'payment-form.js'));

  router.add('OPTIONS', '/hpm/submit', (ctx) => {
    ctx.res.writeHead(204, corsHeaders(app, ctx.req.headers.origin));
    ctx.res.end();
  });

  router.add('POST', '/hpm/submit', async (ctx) => {
    const cors = corsHeaders(app, ctx.req.headers.origin);
    const input = parseWith(cardSchema, await readJson(ctx.req));
    const accountId = app.store.paymentTokens.get(input.token);
    if (accountId === undefined) {
      sendJson(ctx.res, 401, { error: FORM_EXPIRED, code: 'expired' }, cors);
      return;
    }
    // The provider's limit counts every submission that reaches it, whatever the card.
    if (app.faults.payment(['rate_limit']) !== undefined || !app.cards.tryTake(accountId, app.mono())) {
      sendJson(ctx.res, 429, { error: RATE_LIMIT_MESSAGE, code: 'rate_limit' }, cors);
      return;
    }
    let card;
    try {
      card = checkCard(input, app.config.now());
    } catch (error) {
      if (!(error instanceof CardFieldError)) throw error;
      sendJson(ctx.res, 422, { error: error.message, field: error.field }, cors);
      return;
    }
    const forced = app.faults.payment(['decline', 'insufficient_funds', '3ds_required']);
    const outcome = forced ?? card.outcome;
    if (outcome === 'decline' || outcome === 'insufficient_funds' || outcome === '3ds_required') {
      sendJson(ctx.res, 402, { error: PAYMENT_MESSAGES[outcome], code: outcome }, cors);
      return;
    }
    const refId = `pm_${randomId(10)}`;
    app.store.addPaymentMethod({
      id: refId,
      accountId,
      brand: card.brand,
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
      lockContention: outcome === 'lock_contention',
    });
    sendJson(
      ctx.res,
      201,
      { refId, brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear },
      cors,
    );
  });
}
