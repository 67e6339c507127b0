import type { SandboxApp } from '../app.js';
import { sendAsset } from '../client/assets.js';
import { type SafeHtml, html, jsonScript, raw } from '../http.js';
import { HttpError, type Router, parseWith, readJson, sendHtml, sendJson } from '../http.js';
import { CardFieldError, PAYMENT_MESSAGES, RATE_LIMIT_MESSAGE, checkCard } from './cards.js';
import { randomId } from '../store.js';
import { z } from 'zod';

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

const CSS = `
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;padding:14px 16px;font:14px/1.4 system-ui,sans-serif;color:#222;background:#fff}
.brand{font-size:12px;color:#777;margin-bottom:6px}
label{display:block;font-weight:600;margin:8px 0 3px}
input,select{width:100%;padding:6px 8px;border:1px solid #999;border-radius:3px;font:inherit}
.row{display:flex;gap:10px}.row>div{flex:1}
.err{color:#c0341d;font-size:12px;min-height:0}
.alert{margin:10px 0;padding:8px 10px;background:#fde3de;color:#8d1300;border-radius:3px}
a.submit{display:inline-block;margin-top:12px;padding:7px 14px;background:#3b7d23;color:#fff;border-radius:3px;text-decoration:none}
a.submit[aria-disabled=true]{opacity:.5;pointer-events:none}
`;

function input(id: string, label: string, control: SafeHtml): SafeHtml {
  return html`<div>
    <label for="input-${id}">${label}</label>${control}
    <div class="err" id="error-${id}" data-testid="error-${id}"></div>
  </div>`;
}

/** The hosted payment page, framed by the portal as `iframe#z_hppm_iframe`. */
export function hostedPaymentPage(input_: { parentOrigin: string; token: string; year: number }): string {
  const months = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
  const years = Array.from({ length: 12 }, (_, i) => String(input_.year + i));
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Payment details</title>
        <style>
          ${raw(CSS)}
        </style>
      </head>
      <body>
        <div class="brand">Secure payment · sandbox payment provider</div>
        <form id="hpm-form" novalidate>
          ${input('creditCardHolderName', 'Cardholder name', html`<input id="input-creditCardHolderName" autocomplete="cc-name" />`)}
          ${input('creditCardNumber', 'Card number', html`<input id="input-creditCardNumber" inputmode="numeric" autocomplete="cc-number" />`)}
          <div class="row">
            ${input(
              'creditCardExpirationMonth',
              'Expiration month',
              html`<select id="input-creditCardExpirationMonth">
                <option value="">MM</option>
                ${months.map((m) => html`<option value="${m}">${m}</option>`)}
              </select>`,
            )}
            ${input(
              'creditCardExpirationYear',
              'Expiration year',
              html`<select id="input-creditCardExpirationYear">
                <option value="">YYYY</option>
                ${years.map((y) => html`<option value="${y}">${y}</option>`)}
              </select>`,
            )}
            ${input('cardSecurityCode', 'CVV', html`<input id="input-cardSecurityCode" inputmode="numeric" autocomplete="cc-csc" />`)}
          </div>
          <div class="alert" id="error" role="alert" hidden></div>
          <a href="#" class="submit" id="submitButton">Review your order</a>
        </form>
        ${jsonScript('hpm-config', { parentOrigin: input_.parentOrigin, token: input_.token })}
        <script src="/hpm/payment-form.js"></script>
      </body>
    </html>`.value;
}
