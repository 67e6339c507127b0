import { COUNTRIES, STATES } from '../api-schemas.js';
import { formatDate } from '../dates.js';
import { type SafeHtml, html } from '../http.js';
import {
  type SavedCard,
  TOTAL_ROWS,
  confirmStep,
  field,
  flowPage,
  orderSummary,
  paymentStep,
  step,
  summaryRow,
  textInput,
} from './flow.js';
import { MAX_SEATS, PLAN_NAMES, type PlanId } from '../pricing.js';
import type { Address, Group, Subscription } from '../store.js';

function detailsBody(plan: PlanId, group: Group): SafeHtml {
  return html`<div>
      <label for="plan-name">GitLab plan</label>
      <output id="plan-name" data-testid="plan-name">${PLAN_NAMES[plan]}</output>
    </div>
    <div>
      <label for="group-name">GitLab group</label>
      <output id="group-name" data-testid="group-name">${group.name}</output>
      <div class="hint">Your subscription will be applied to this group.</div>
    </div>
    ${field('number-of-users', 'Number of users', textInput('number-of-users', { type: 'number', value: String(group.seatsInUse) }), `At least ${group.seatsInUse} (the group's billable members).`)}`;
}

function addressForm(): SafeHtml {
  const country = html`<select id="country" name="country" data-testid="country" autocomplete="country">
    <option value="">Select country</option>
    ${COUNTRIES.map(([code, name]) => html`<option value="${code}">${name}</option>`)}
  </select>`;
  return html`<div data-testid="checkout-billing-address-form">
    ${field('country', 'Country', country)}
    ${field('street-address-1', 'Street address', textInput('street-address-1', { autocomplete: 'address-line1' }))}
    ${field('street-address-2', 'Street address line 2 (optional)', textInput('street-address-2', { autocomplete: 'address-line2' }))}
    ${field('city', 'City', textInput('city', { autocomplete: 'address-level2' }))}
    ${field('state', 'State', html`<select id="state" name="state" data-testid="state"></select>`)}
    ${field('zip-code', 'Zip code', textInput('zip-code', { autocomplete: 'postal-code' }))}
  </div>`;
}

function contactInformation(address: Address): SafeHtml {
  const country = COUNTRIES.find(([code]) => code === address.country)?.[1] ?? address.country;
  return html`<div data-testid="contact-information">
    <h3>Contact information</h3>
    <div>${address.name}</div>
    <div>${address.company}</div>
    <div>${address.street1}${address.street2 ? `, ${address.street2}` : ''}</div>
    <div>${address.city}, ${address.state ?? ''} ${address.zip}</div>
    <div>${country}</div>
  </div>`;
}

/** `/subscriptions/new?gl_namespace_id=…&plan_id=…`: the four-step checkout with its order summary. */
export function checkoutPage(input: {
  username: string;
  plan: PlanId;
  group: Group;
  /** A returning customer's address: shown read-only instead of the form. */
  billing: Address | undefined;
  savedCard: SavedCard | undefined;
  idempotencyKey: string;
}): string {
  const billingBody = input.billing === undefined ? addressForm() : contactInformation(input.billing);
  const steps = html`${step({ name: 'details', title: 'Subscription details', body: detailsBody(input.plan, input.group), next: 'Continue to billing' })}
  ${step({ name: 'billing', title: 'Billing address', body: billingBody, next: 'Continue to payment' })}
  ${paymentStep(input.savedCard)}
  ${confirmStep({ title: 'Confirm purchase', button: 'Confirm purchase', testId: 'confirm-purchase' })}`;
  return flowPage({
    kind: 'checkout',
    title: 'Checkout',
    username: input.username,
    steps,
    summary: orderSummary('Order summary', TOTAL_ROWS),
    config: {
      previewUrl: '/api/price_preview/new',
      orderUrl: '/api/orders/new',
      paymentFormUrl: '/api/payment_form',
      idempotencyKey: input.idempotencyKey,
      maxSeats: MAX_SEATS,
      plan: input.plan,
      planName: PLAN_NAMES[input.plan],
      namespaceId: input.group.id,
      groupName: input.group.name,
      seatsInUse: input.group.seatsInUse,
      returning: input.billing !== undefined,
      savedCard: input.savedCard ?? null,
      states: STATES,
    },
  });
}

function facts(sub: Subscription, group: Group): ReturnType<typeof html> {
  return html`<p class="hint" data-testid="subscription-facts">
    ${PLAN_NAMES[sub.plan]} · group ${group.name} (namespace ${group.id}) · subscription ${sub.id} ·
    <span data-testid="current-seats">${sub.seats}</span> seats in subscription ·
    <span data-testid="seats-in-use">${group.seatsInUse}</span> seats in use · term ends
    ${formatDate(sub.termEnd)}
  </p>`;
}

/** What the add-seats and renew pages of one owned subscription are drawn from. */
export interface SubscriptionPageInput {
  username: string;
  savedCard: SavedCard | undefined;
  sub: Subscription;
  group: Group;
  idempotencyKey: string;
}

/** `/gitlab/namespaces/:id/extra_seats`: additional users, prorated summary, payment, purchase. */
export function extraSeatsPage(input: SubscriptionPageInput): string {
  const { sub, group } = input;
  const body = html`${facts(sub, group)}
  ${field(
    'number-of-additional-users',
    'Number of additional users',
    textInput('number-of-additional-users', { type: 'number', value: '1' }),
    `You have ${sub.seats} seats; the new seats are charged from today to the end of the term.`,
  )}`;
  const steps = html`${step({ name: 'seats', title: 'Add seats', body, next: 'Continue to payment' })}
  ${paymentStep(input.savedCard)}
  ${confirmStep({ title: 'Confirm purchase', button: 'Purchase seats', testId: 'purchase-seats' })}`;
  const rows = html`${summaryRow('prorated-days', 'Days left in term')}
  ${summaryRow('all-seats-price', 'Price for all seats')}
  ${summaryRow('credit', 'Credit for seats already paid')} ${TOTAL_ROWS}`;
  const note = html`<p class="hint" data-testid="net-change-note">
    You are only charged for the net change: the price of all seats to the end of the term, minus what you
    already paid for the same days.
  </p>`;
  return flowPage({
    kind: 'seats',
    title: 'Add seats',
    username: input.username,
    steps,
    summary: orderSummary('Purchase summary', rows, note),
    config: {
      previewUrl: '/api/price_preview/extra_seats',
      orderUrl: '/api/orders/extra_seats',
      paymentFormUrl: '/api/payment_form',
      idempotencyKey: input.idempotencyKey,
      maxSeats: MAX_SEATS,
      namespaceId: group.id,
      currentSeats: sub.seats,
      savedCard: input.savedCard ?? null,
    },
  });
}

/** `/gitlab/namespaces/:id/renew`: seats for the next term, payment, renew. */
export function renewPage(input: SubscriptionPageInput): string {
  const { sub, group } = input;
  const body = html`${facts(sub, group)}
  ${field('seats', 'Seats', textInput('seats', { type: 'number', value: String(sub.seats) }), `At least ${group.seatsInUse} (your seats in use).`)}`;
  const steps = html`${step({ name: 'seats', title: 'Renew subscription', body, next: 'Continue to payment' })}
  ${paymentStep(input.savedCard)}
  ${confirmStep({ title: 'Confirm renewal', button: 'Renew subscription', testId: 'renew-subscription' })}`;
  return flowPage({
    kind: 'renew',
    title: 'Renew subscription',
    username: input.username,
    steps,
    summary: orderSummary('Renewal summary', TOTAL_ROWS),
    config: {
      previewUrl: '/api/price_preview/renewal',
      orderUrl: '/api/orders/renewal',
      paymentFormUrl: '/api/payment_form',
      idempotencyKey: input.idempotencyKey,
      maxSeats: MAX_SEATS,
      namespaceId: group.id,
      seatsInUse: group.seatsInUse,
      savedCard: input.savedCard ?? null,
    },
  });
}
