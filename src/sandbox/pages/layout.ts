import { html, raw, type SafeHtml } from '../html.js';
import { CSS } from './style.js';

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
