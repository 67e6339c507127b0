import { COUNTRIES, STATES } from '../geo.js';
import { html } from '../html.js';
import { MAX_SEATS, PLAN_IDS, PLAN_NAMES, type PlanId } from '../pricing.js';
import type { Group } from '../store.js';
import {
  confirmStep,
  field,
  flowPage,
  orderSummary,
  paymentStep,
  step,
  textInput,
  TOTAL_ROWS,
} from './flow.js';

export const NEW_GROUP = '__new__';

function detailsBody(plan: PlanId, groups: readonly Group[]): ReturnType<typeof html> {
  const first = groups[0];
  const planSelect = html`<select id="plan-name" name="plan" data-testid="plan-name">
    ${PLAN_IDS.map((id) => html`<option value="${id}" ${id === plan ? 'selected' : ''}>${PLAN_NAMES[id]}</option>`)}
  </select>`;
  const groupSelect = html`<select id="group-name" name="group" data-testid="group-name">
    ${groups.map((g) => html`<option value="${g.path}">${g.name}</option>`)}
    <option value="${NEW_GROUP}" ${first === undefined ? 'selected' : ''}>Create a new group</option>
  </select>`;
  return html`${field('plan-name', 'GitLab plan', planSelect)}
  ${field('group-name', 'GitLab group', groupSelect, 'Your subscription will be applied to this group.')}
  ${field('company-name', 'Company or group name', textInput('company-name', { autocomplete: 'organization' }))}
  ${field('number-of-users', 'Number of users', textInput('number-of-users', { type: 'number', value: String(first?.seatsInUse ?? 1) }))}`;
}

function billingBody(): ReturnType<typeof html> {
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

/** `/subscriptions/new?plan_id=…`: the four-step checkout with its order summary. */
export function checkoutPage(input: {
  email: string;
  plan: PlanId;
  /** Groups that can take a new subscription (none yet). */
  groups: readonly Group[];
  idempotencyKey: string;
}): string {
  const steps = html`${step({ name: 'details', title: 'Subscription details', body: detailsBody(input.plan, input.groups), next: 'Continue to billing' })}
  ${step({ name: 'billing', title: 'Billing address', body: billingBody(), next: 'Continue to payment' })}
  ${paymentStep()}
  ${confirmStep({ title: 'Confirm purchase', button: 'Confirm purchase', testId: 'confirm-purchase' })}`;
  return flowPage({
    kind: 'checkout',
    title: 'Checkout',
    email: input.email,
    steps,
    summary: orderSummary('Order summary', TOTAL_ROWS),
    config: {
      previewUrl: '/api/price_preview/new',
      orderUrl: '/api/orders/new',
      paymentFormUrl: '/api/payment_form',
      idempotencyKey: input.idempotencyKey,
      maxSeats: MAX_SEATS,
      groups: input.groups.map((g) => ({ path: g.path, name: g.name, seatsInUse: g.seatsInUse })),
      states: STATES,
    },
  });
}
