import { html, raw, type SafeHtml } from '../html.js';
import { CSS } from './style.js';

export interface LayoutInput {
  readonly title: string;
  /** The signed-in user's email: shows the navigation and the sign-out button. */
  readonly email?: string;
  readonly body: SafeHtml;
  /** A trusted inline script (our own client code). */
  readonly script?: string;
}

/** The portal's page frame: header with navigation, main content, optional script. */
export function layout(input: LayoutInput): string {
  const nav =
    input.email === undefined
      ? html`<nav></nav>`
      : html`<nav>
            <a href="/subscriptions">Subscriptions</a>
            <a href="/invoices">Invoices</a>
          </nav>
          <span data-testid="signed-in-as">${input.email}</span>
          <form method="post" action="/customers/sign_out"><button type="submit">Sign out</button></form>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${input.title} · GitLab Customers Portal (sandbox)</title>
        <style>
          ${raw(CSS)}
        </style>
      </head>
      <body>
        <header class="top"><a class="brand" href="/subscriptions">GitLab Customers Portal</a>${nav}</header>
        <main>${input.body}</main>
        ${input.script === undefined ? '' : raw(`<script>${input.script}</script>`)}
      </body>
    </html>`.value;
}
