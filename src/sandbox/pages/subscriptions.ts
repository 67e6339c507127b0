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

/** The reasons the cancel dialog offers (value → label). */
export const CANCEL_REASONS: Readonly<Record<string, string>> = {
  too_expensive: 'Too expensive',
  missing_features: 'Missing features',
  switching: 'Switching to another product',
  not_needed: 'No longer needed',
  other: 'Other',
};

function renewItem(sub: Subscription, namespaceId: number, today: IsoDate): SafeHtml {
  if (canRenew(sub, today)) {
    return html`<a
      role="menuitem"
      href="/gitlab/namespaces/${namespaceId}/renew"
      data-testid="renew-subscription-action"
      >Renew subscription</a
    >`;
  }
  return html`<button type="button" role="menuitem" disabled data-testid="renew-subscription-action">
      Renew subscription
    </button>
    <p class="hint" data-testid="renewal-opens">Renewal opens on ${formatDate(renewalOpensOn(sub))}</p>`;
}

function actionsMenu(sub: Subscription, namespaceId: number, today: IsoDate): SafeHtml {
  const autoRenew = sub.autoRenew
    ? html`<button
        type="button"
        role="menuitem"
        class="secondary"
        data-cancel="${sub.id}"
        data-testid="cancel-subscription"
      >
        Cancel subscription
      </button>`
    : html`<form method="post" action="/subscriptions/${sub.id}/auto_renew">
        <input type="hidden" name="auto_renew" value="on" />
        <button type="submit" role="menuitem" class="secondary" data-testid="turn-on-auto-renew">
          Turn on auto-renew
        </button>
      </form>`;
  return html`<div class="menu">
    <button
      type="button"
      class="secondary"
      aria-label="Subscription actions"
      aria-haspopup="menu"
      aria-expanded="false"
      data-menu="${sub.id}"
      data-testid="subscription-actions"
    >
      ⋮
    </button>
    <div class="menu-items" role="menu" id="menu-${sub.id}" data-testid="subscription-actions-menu" hidden>
      ${renewItem(sub, namespaceId, today)} ${autoRenew}
    </div>
  </div>`;
}

function card(sub: Subscription, group: Group | undefined, today: IsoDate): SafeHtml {
  const namespaceId = group?.id ?? 0;
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
          >Group <span data-testid="subscription-group">${group?.name ?? sub.groupPath}</span> (namespace
          <span data-testid="subscription-namespace-id">${namespaceId}</span>) · Subscription
          <span data-testid="subscription-id">${sub.id}</span>
          ${isProvisioned(sub) ? '' : html`· <span data-testid="provisioning">Provisioning…</span>`}</span
        >
      </div>
      ${actionsMenu(sub, namespaceId, today)}
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
      <a class="btn" href="/gitlab/namespaces/${namespaceId}/extra_seats" data-testid="add-seats"
        >Add seats</a
      >
      ${canRenew(sub, today) ? html`<a class="btn secondary" href="/gitlab/namespaces/${namespaceId}/renew" data-testid="renew">Renew</a>` : ''}
    </div>
  </article>`;
}

/** One dialog for the page: the script points its form at the chosen subscription. */
function cancelDialog(): SafeHtml {
  return html`<dialog
    id="cancel-dialog"
    aria-labelledby="cancel-dialog-title"
    data-testid="cancel-subscription-dialog"
  >
    <form method="post" id="cancel-form" action="">
      <h2 id="cancel-dialog-title">Cancel subscription</h2>
      <p>Your subscription stays active until the end of its term and will not renew.</p>
      <label for="cancel-reason">Reason for cancelling</label>
      <select id="cancel-reason" name="reason" data-testid="cancel-reason" required>
        <option value="">Choose a reason</option>
        ${Object.entries(CANCEL_REASONS).map(([value, label]) => html`<option value="${value}">${label}</option>`)}
      </select>
      <label for="cancel-comment">Would you like to add anything?</label>
      <textarea
        id="cancel-comment"
        name="comment"
        maxlength="1000"
        rows="3"
        data-testid="cancel-comment"
      ></textarea>
      <div class="actions">
        <button type="submit" id="confirm-cancel" disabled data-testid="confirm-cancel-subscription">
          Cancel subscription
        </button>
        <button type="button" class="secondary" id="keep-subscription">Keep subscription</button>
      </div>
    </form>
  </dialog>`;
}

/** `/subscriptions`: "Subscriptions & purchases", a card per subscription. */
export function subscriptionsPage(input: {
  username: string;
  subscriptions: readonly Subscription[];
  groupOf: (path: string) => Group | undefined;
  today: IsoDate;
  notice?: string;
}): string {
  const cards =
    input.subscriptions.length === 0
      ? html`<p data-testid="no-subscriptions">You don't have any subscriptions yet.</p>`
      : input.subscriptions.map((s) => card(s, input.groupOf(s.groupPath), input.today));
  return layout({
    title: 'Subscriptions & purchases',
    username: input.username,
    body: html`<h1>Subscriptions &amp; purchases</h1>
      ${input.notice === undefined ? '' : html`<div class="notice" role="status" data-testid="flash-notice">${input.notice}</div>`}
      ${cards} ${cancelDialog()}`,
    scripts: ['subscriptions.js'],
  });
}
