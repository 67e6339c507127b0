import { formatDate, dateOf } from '../dates.js';
import { html } from '../html.js';
import { formatCents } from '../money.js';
import type { Order } from '../store.js';
import { layout } from './layout.js';

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
