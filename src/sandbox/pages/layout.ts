import { type SafeHtml, html, raw } from '../http.js';

export interface LayoutInput {
  readonly title: string;
  /** The whole `<title>`, when it must read exactly (the 500 page's "500 Error - GitLab"). */
  readonly fullTitle?: string;
  /** The signed-in user's username: shows the navigation and the sign-out button. */
  readonly username?: string;
  readonly body: SafeHtml;
  /** Our own browser scripts, served from `/assets/` (see client/). */
  readonly scripts?: readonly string[];
}

/** The portal's page frame: header with navigation, main content, scripts. */
export function layout(input: LayoutInput): string {
  const nav =
    input.username === undefined
      ? html`<nav></nav>`
      : html`<nav>
            <a href="/subscriptions">Subscriptions &amp; purchases</a>
            <a href="/invoices">Invoices</a>
          </nav>
          <span data-testid="signed-in-as">${input.username}</span>
          <form method="post" action="/customers/sign_out"><button type="submit">Sign out</button></form>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${input.fullTitle ?? `${input.title} · GitLab Customers Portal (sandbox)`}</title>
        <style>
          ${raw(CSS)}
        </style>
      </head>
      <body>
        <header class="top"><a class="brand" href="/subscriptions">GitLab Customers Portal</a>${nav}</header>
        <main>${input.body}</main>
        ${(input.scripts ?? []).map((name) => html`<script src="/assets/${name}"></script>`)}
      </body>
    </html>`.value;
}

/** The whole stylesheet: plain, small, readable in a screenshot. */
export const CSS = `
*{box-sizing:border-box}
[hidden]{display:none !important}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f1e24;background:#fafafa}
header.top{display:flex;align-items:center;gap:24px;padding:10px 24px;background:#292961;color:#fff}
header.top a{color:#fff;text-decoration:none}
header.top .brand{font-weight:700}
header.top nav{display:flex;gap:16px;flex:1}
header.top form{margin:0}
header.top button{background:transparent;border:1px solid #fff8;color:#fff}
main{max-width:1080px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 16px}
h2{font-size:18px;margin:0}
.layout{display:flex;gap:24px;align-items:flex-start}
.steps{flex:1;min-width:0}
.step{background:#fff;border:1px solid #dcdcde;border-radius:6px;padding:16px 20px;margin-bottom:12px}
.step.future h2{color:#89888d}
.step-summary{display:flex;justify-content:space-between;align-items:center;margin-top:8px;color:#535158}
.step-body{margin-top:12px}
label{display:block;font-weight:600;margin:10px 0 4px}
label.inline{display:flex;gap:8px;align-items:center;font-weight:400}
input[type=text],input[type=email],input[type=password],input[type=number],select{width:100%;max-width:420px;padding:7px 9px;border:1px solid #89888d;border-radius:4px;font:inherit;background:#fff}
.row{display:flex;gap:12px}.row>div{flex:1}
button,.btn{display:inline-block;padding:7px 14px;border-radius:4px;border:1px solid #1f75cb;background:#1f75cb;color:#fff;font:inherit;cursor:pointer;text-decoration:none}
button.secondary,.btn.secondary{background:#fff;color:#1f75cb}
button:disabled{opacity:.5;cursor:not-allowed}
.actions{margin-top:16px}
.hint{color:#737278;font-size:13px}
.invalid{color:#dd2b0e;font-size:13px;margin-top:4px}
.alert{padding:10px 14px;border-radius:4px;margin:12px 0;background:#fdd4cd;color:#8d1300;border:1px solid #f57f6c}
.notice{padding:10px 14px;border-radius:4px;margin:12px 0;background:#c3e6cd;color:#0a4020;border:1px solid #91d4a8}
aside.summary{width:320px;background:#fff;border:1px solid #dcdcde;border-radius:6px;padding:16px 20px;position:sticky;top:12px}
aside.summary dl{display:grid;grid-template-columns:1fr auto;gap:6px 12px;margin:12px 0 0}
aside.summary dt{color:#535158}aside.summary dd{margin:0;text-align:right}
aside.summary .total{font-weight:700;border-top:1px solid #dcdcde;padding-top:6px}
.card{background:#fff;border:1px solid #dcdcde;border-radius:6px;padding:16px 20px;margin-bottom:12px}
.card header{display:flex;justify-content:space-between;align-items:center}
.card dl{display:grid;grid-template-columns:repeat(4,1fr);gap:4px 16px;margin:12px 0}
.card dt{color:#737278;font-size:13px}.card dd{margin:0;font-weight:600}
details.menu{display:inline-block;position:relative}
details.menu summary{list-style:none;cursor:pointer;padding:7px 12px;border:1px solid #89888d;border-radius:4px;background:#fff}
details.menu .menu-items{position:absolute;right:0;background:#fff;border:1px solid #dcdcde;border-radius:4px;padding:8px;min-width:240px;z-index:2}
details.menu form{margin:0}details.menu button{width:100%;margin:2px 0;text-align:left}
.spinner{width:28px;height:28px;border:3px solid #dcdcde;border-top-color:#1f75cb;border-radius:50%;animation:spin 1s linear infinite;margin:12px 0}
@keyframes spin{to{transform:rotate(360deg)}}
#zuora_payment iframe{width:100%;max-width:460px;height:330px;border:1px solid #dcdcde;border-radius:4px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:8px 10px;border-bottom:1px solid #dcdcde;text-align:left}
td.amount,th.amount{text-align:right}
.outage{max-width:640px;margin:80px auto;text-align:center}
`;
