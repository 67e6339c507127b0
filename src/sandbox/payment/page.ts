import { html, jsonScript, raw, type SafeHtml } from '../html.js';

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
