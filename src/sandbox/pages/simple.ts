import { dateOf, formatDate } from '../dates.js';
import { html } from '../http.js';
import { layout } from './layout.js';
import { formatCents } from '../pricing.js';
import type { Order } from '../store.js';

/** `/invoices`: one row per order, newest first. */
export function invoicesPage(input: { username: string; orders: readonly Order[] }): string {
  const rows = [...input.orders].reverse().map(
    (o) =>
      html`<tr data-testid="invoice-row-${o.id}">
        <td>${formatDate(dateOf(new Date(o.createdAt)))}</td>
        <td data-testid="invoice-number">${o.id}</td>
        <td>${o.subscriptionId}</td>
        <td data-testid="invoice-description">${o.description}</td>
        <td class="amount" data-testid="invoice-amount">${formatCents(o.amountCents)}</td>
      </tr>`,
  );
  return layout({
    title: 'Invoices',
    username: input.username,
    body: html`<h1>Invoices</h1>
      ${
        input.orders.length === 0
          ? html`<p data-testid="no-invoices">No invoices yet.</p>`
          : html`<table data-testid="invoices-table">
              <thead>
                <tr>
                  <th>Date</th>
                  <th>Invoice</th>
                  <th>Subscription</th>
                  <th>Description</th>
                  <th class="amount">Amount</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`
      }`,
  });
}

/** The page a 503 fault (or any injected 5xx) renders: what customers see in an outage. */
export function outagePage(status: number): string {
  return layout({
    title: 'Service unavailable',
    body: html`<section class="outage" data-testid="outage">
      <h1>We're sorry, something went wrong (${status})</h1>
      <p>customers.gitlab.com is currently experiencing an outage. Please try again later.</p>
    </section>`,
  });
}

/** Any other error page: not found, refused, bad input; a 5xx is titled as staging titles it. */
export function errorPage(input: {
  status: number;
  title: string;
  message: string;
  username?: string;
}): string {
  return layout({
    title: input.title,
    ...(input.status >= 500 ? { fullTitle: `${input.status} Error - GitLab` } : {}),
    ...(input.username === undefined ? {} : { username: input.username }),
    body: html`<h1>${input.title}</h1>
      <div class="alert" role="alert" data-testid="error-message">${input.message}</div>
      <p><a href="/subscriptions">Back to your subscriptions</a></p>`,
  });
}

export const EMAIL_LINK_UNSUPPORTED = 'Signing in with an email link is not supported in the sandbox.';

/** `/customers/sign_in`: the two ways in; only GitLab.com works in the sandbox. */
export function signInPage(input: { returnTo: string; error?: string; notice?: string }): string {
  return layout({
    title: 'Sign in',
    body: html`<section class="card" style="max-width:460px;margin:40px auto">
      <h1>Sign in to the Customers Portal</h1>
      ${input.notice === undefined ? '' : html`<div class="notice" role="status" data-testid="flash-notice">${input.notice}</div>`}
      ${input.error === undefined ? '' : html`<div class="alert" role="alert" data-testid="flash-alert">${input.error}</div>`}
      <form method="post" action="/auth/gitlab" data-testid="sign-in-form">
        <input type="hidden" name="return_to" value="${input.returnTo}" />
        <div class="actions">
          <button type="submit" data-testid="sign-in-with-gitlab">Continue with GitLab.com account</button>
        </div>
      </form>
      <p class="hint">or</p>
      <form method="post" action="/customers/sign_in/email">
        <input type="hidden" name="return_to" value="${input.returnTo}" />
        <button type="submit" class="secondary" data-testid="sign-in-with-email">
          Sign in with your email
        </button>
      </form>
    </section>`,
  });
}
