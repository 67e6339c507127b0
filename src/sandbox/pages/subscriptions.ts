import { formatDate, type IsoDate } from '../dates.js';
import { html, type SafeHtml } from '../html.js';
import { PLAN_NAMES } from '../pricing.js';
import { canRenew, isProvisioned, renewalOpensOn } from '../rules.js';
import type { Group, Subscription } from '../store.js';
import { layout } from './layout.js';

export const NOTICES: Readonly<Record<string, string>> = {
  purchased: 'Your purchase was successful.',
  seats_added: 'Seats added. Your subscription was updated.',
  renewed: 'Your subscription was renewed.',
  auto_renew_on: 'Auto-renew is turned on.',
  auto_renew_off: 'Your subscription was cancelled: it will not renew.',
};

function actionsMenu(sub: Subscription, today: IsoDate): SafeHtml {
  const toggle = sub.autoRenew
    ? html`<button
        type="submit"
        name="auto_renew"
        value="off"
        class="secondary"
        data-testid="cancel-subscription"
      >
        Cancel subscription
      </button>`
    : html`<button
        type="submit"
        name="auto_renew"
        value="on"
        class="secondary"
        data-testid="turn-on-auto-renew"
      >
        Turn on auto-renew
      </button>`;
  const opens = canRenew(sub, today)
    ? ''
    : html`<p class="hint" data-testid="renewal-opens">
        Renewal opens on ${formatDate(renewalOpensOn(sub))}
      </p>`;
  return html`<details class="menu" data-testid="subscription-actions">
    <summary>Actions</summary>
    <div class="menu-items">
      ${opens}
      <form method="post" action="/subscriptions/${sub.id}/auto_renew">${toggle}</form>
    </div>
  </details>`;
}

function card(sub: Subscription, group: Group | undefined, today: IsoDate): SafeHtml {
  const groupPath = encodeURIComponent(sub.groupPath);
  const status = sub.autoRenew
    ? `Auto-renews on ${formatDate(sub.termEnd)}`
    : `Expires on ${formatDate(sub.termEnd)}`;
  return html`<article
    class="card"
    data-testid="subscription-card-${sub.id}"
    aria-label="Subscription ${sub.id}"
  >
    <header>
      <div>
        <h2><span data-testid="subscription-plan">${PLAN_NAMES[sub.plan]}</span> SaaS Plan</h2>
        <span class="hint"
          >Group <span data-testid="subscription-group">${group?.name ?? sub.groupPath}</span> · Subscription
          <span data-testid="subscription-id">${sub.id}</span>
          ${isProvisioned(sub) ? '' : html`· <span data-testid="provisioning">Provisioning…</span>`}</span
        >
      </div>
      ${actionsMenu(sub, today)}
    </header>
    <dl>
      <dt>Seats in subscription</dt>
      <dt>Seats in use</dt>
      <dt>Subscription start date</dt>
      <dt>Subscription end date</dt>
      <dd data-testid="seats-in-subscription">${sub.seats}</dd>
      <dd data-testid="seats-in-use">${group?.seatsInUse ?? 0}</dd>
      <dd data-testid="term-start">${formatDate(sub.termStart)}</dd>
      <dd data-testid="term-end">${formatDate(sub.termEnd)}</dd>
    </dl>
    <p data-testid="subscription-renewal-status">${status}</p>
    <div class="actions">
      <a class="btn" href="/gitlab/namespaces/${groupPath}/extra_seats" data-testid="add-seats">Add seats</a>
      ${canRenew(sub, today) ? html`<a class="btn secondary" href="/gitlab/namespaces/${groupPath}/renew" data-testid="renew">Renew</a>` : ''}
    </div>
  </article>`;
}

/** `/subscriptions`: a card per subscription, and the way to buy a new one. */
export function subscriptionsPage(input: {
  email: string;
  subscriptions: readonly Subscription[];
  groups: ReadonlyMap<string, Group>;
  today: IsoDate;
  notice?: string;
}): string {
  const cards =
    input.subscriptions.length === 0
      ? html`<p data-testid="no-subscriptions">You don't have any subscriptions yet.</p>`
      : input.subscriptions.map((s) => card(s, input.groups.get(s.groupPath), input.today));
  return layout({
    title: 'Subscriptions',
    email: input.email,
    body: html`<div style="display:flex;justify-content:space-between;align-items:center">
        <h1>Manage your subscriptions</h1>
        <a class="btn" href="/subscriptions/new?plan_id=premium" data-testid="buy-subscription"
          >Buy new subscription</a
        >
      </div>
      ${input.notice === undefined ? '' : html`<div class="notice" role="status" data-testid="flash-notice">${input.notice}</div>`}
      ${cards}`,
  });
}
