import { formatDate } from '../dates.js';
import { html } from '../html.js';
import { MAX_SEATS, PLAN_NAMES } from '../pricing.js';
import type { Group, Subscription } from '../store.js';
import {
  confirmStep,
  field,
  flowPage,
  orderSummary,
  paymentStep,
  step,
  summaryRow,
  textInput,
  TOTAL_ROWS,
  type SavedCard,
} from './flow.js';

function facts(sub: Subscription, group: Group): ReturnType<typeof html> {
  return html`<p class="hint" data-testid="subscription-facts">
    ${PLAN_NAMES[sub.plan]} · group ${group.name} (namespace ${group.id}) · subscription ${sub.id} ·
    <span data-testid="current-seats">${sub.seats}</span> seats in subscription ·
    <span data-testid="seats-in-use">${group.seatsInUse}</span> seats in use · term ends
    ${formatDate(sub.termEnd)}
  </p>`;
}

/** `/gitlab/namespaces/:id/extra_seats`: additional users, prorated summary, payment, purchase. */
export function extraSeatsPage(input: {
  username: string;
  savedCard: SavedCard | undefined;
  sub: Subscription;
  group: Group;
  idempotencyKey: string;
}): string {
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
export function renewPage(input: {
  username: string;
  savedCard: SavedCard | undefined;
  sub: Subscription;
  group: Group;
  idempotencyKey: string;
}): string {
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
