import type { SandboxApp } from './app.js';
import { formatDate } from './dates.js';
import { HttpError } from './http/errors.js';
import { formatCents } from './money.js';
import {
  extraSeatsQuote,
  newSubscriptionQuote,
  PLAN_NAMES,
  PricingError,
  renewalQuote,
  type PlanId,
  type Quote,
} from './pricing.js';
import { renewalRefusal, seatsRefusal } from './rules.js';
import {
  randomId,
  type AccountRecord,
  type Group,
  type Order,
  type OrderKind,
  type Subscription,
} from './store.js';

/** What the provider says when its lock is taken: the portal shows it, a retry succeeds. */
export const LOCK_CONTENTION_MESSAGE = 'Operation failed due to a lock competition, please retry later.';

/** A subscription of the signed-in account, by group path; 404 when it is not theirs. */
export function ownedSubscription(
  app: SandboxApp,
  account: AccountRecord,
  groupPath: string,
): { sub: Subscription; group: Group } {
  const group = app.store.groups.get(groupPath);
  const sub = app.store.subscriptionOfGroup(groupPath);
  if (group === undefined || group.accountId !== account.id || sub === undefined) {
    throw new HttpError(404, `No subscription found for group "${groupPath}".`);
  }
  return { sub, group };
}

/** Runs the pricing module, turning its refusals into 422s. */
export function quoted(fn: () => Quote): Quote {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PricingError) throw new HttpError(422, error.message);
    throw error;
  }
}

interface Attempt {
  readonly account: AccountRecord;
  readonly kind: OrderKind;
  readonly idempotencyKey: string;
  readonly paymentMethodId: string;
}

/** The first order made with this key by this account, if any: a double submit gets it back. */
export function replayed(app: SandboxApp, account: AccountRecord, key: string): Order | undefined {
  return app.store.idempotency.get(`${account.id}:${key}`);
}

/**
 * Places an order once per idempotency key. A lock contention (fault or magic card) fails
 * the first attempt of each key with 409; the retry with the same key goes through.
 */
function place(
  app: SandboxApp,
  attempt: Attempt,
  apply: () => Omit<Order, 'id' | 'accountId' | 'kind' | 'createdAt'>,
): Order {
  const store = app.store;
  const key = `${attempt.account.id}:${attempt.idempotencyKey}`;
  const method = store.paymentMethods.get(attempt.paymentMethodId);
  if (method === undefined)
    throw new HttpError(422, 'Your payment method was not found. Enter your card details again.');
  if (
    !store.lockContended.has(key) &&
    (method.lockContention || app.faults.payment(['lock_contention']) !== undefined)
  ) {
    store.lockContended.add(key);
    throw new HttpError(409, LOCK_CONTENTION_MESSAGE);
  }
  const order: Order = {
    id: `INV-${randomId(5).toUpperCase()}`,
    accountId: attempt.account.id,
    kind: attempt.kind,
    createdAt: app.config.now().toISOString(),
    ...apply(),
  };
  store.orders.push(order);
  store.idempotency.set(key, order);
  return order;
}

function slug(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${base === '' ? 'group' : base}-${randomId(2)}`;
}

/** A new subscription: for an owned group without one, or a new group. Provisioned later. */
export function placeNewOrder(
  app: SandboxApp,
  attempt: Attempt,
  input: { plan: PlanId; quantity: number; group: { path: string } | { name: string } },
): Order {
  let group: Group;
  if ('path' in input.group) {
    const existing = app.store.groups.get(input.group.path);
    if (existing === undefined || existing.accountId !== attempt.account.id) {
      throw new HttpError(404, `No group "${input.group.path}" found.`);
    }
    if (app.store.subscriptionOfGroup(existing.path) !== undefined) {
      throw new HttpError(422, `Group "${existing.name}" already has a subscription.`);
    }
    group = existing;
  } else {
    group = {
      path: slug(input.group.name),
      name: input.group.name,
      accountId: attempt.account.id,
      seatsInUse: 1,
    };
  }
  if (input.quantity < group.seatsInUse) {
    throw new HttpError(422, `Must be ${group.seatsInUse} (your seats in use) or more.`);
  }
  const quote = quoted(() =>
    newSubscriptionQuote(app.config.catalogue, input.plan, input.quantity, app.today()),
  );
  return place(app, attempt, () => {
    app.store.groups.set(group.path, group);
    const delay = app.faults.provisioningDelayMs() ?? app.config.provisioningDelayMs;
    const sub: Subscription = {
      id: app.store.nextSubscriptionId(),
      accountId: attempt.account.id,
      groupPath: group.path,
      plan: input.plan,
      seats: input.quantity,
      termStart: quote.termStart,
      termEnd: quote.termEnd,
      autoRenew: true,
      reseller: false,
      provisionedAt: performance.now() + delay,
    };
    app.store.subscriptions.set(sub.id, sub);
    return {
      subscriptionId: sub.id,
      amountCents: quote.totalCents,
      description: `${PLAN_NAMES[input.plan]} SaaS Plan, ${input.quantity} users, ${formatDate(quote.termStart)} - ${formatDate(quote.termEnd)}`,
      redirect: `/groups/${encodeURIComponent(group.path)}/-/billings`,
    };
  });
}

export function placeSeatsOrder(
  app: SandboxApp,
  attempt: Attempt,
  input: { group: string; additional: number },
): Order {
  const { sub } = ownedSubscription(app, attempt.account, input.group);
  const refusal = seatsRefusal(sub, app.today());
  if (refusal !== undefined) throw new HttpError(422, refusal);
  const quote = quoted(() => extraSeatsQuote(app.config.catalogue, sub, input.additional, app.today()));
  return place(app, attempt, () => {
    sub.seats += input.additional;
    const p = quote.proration;
    return {
      subscriptionId: sub.id,
      amountCents: quote.totalCents,
      description: `${input.additional} additional seats (${PLAN_NAMES[sub.plan]}), ${p?.remainingDays ?? 0} of ${p?.termDays ?? 0} days: ${formatCents(p?.allSeatsCents ?? 0)} less credit ${formatCents(p?.creditCents ?? 0)}`,
      redirect: '/subscriptions?notice=seats_added',
    };
  });
}

export function placeRenewalOrder(
  app: SandboxApp,
  attempt: Attempt,
  input: { group: string; quantity: number },
): Order {
  const { sub, group } = ownedSubscription(app, attempt.account, input.group);
  const refusal = renewalRefusal(sub, app.today());
  if (refusal !== undefined) throw new HttpError(422, refusal);
  if (input.quantity < group.seatsInUse) {
    throw new HttpError(422, `Must be ${group.seatsInUse} (your seats in use) or more.`);
  }
  const quote = quoted(() => renewalQuote(app.config.catalogue, sub.plan, input.quantity, sub.termEnd));
  return place(app, attempt, () => {
    sub.seats = input.quantity;
    sub.termStart = quote.termStart;
    sub.termEnd = quote.termEnd;
    return {
      subscriptionId: sub.id,
      amountCents: quote.totalCents,
      description: `Renewal: ${PLAN_NAMES[sub.plan]}, ${input.quantity} users, ${formatDate(quote.termStart)} - ${formatDate(quote.termEnd)}`,
      redirect: '/subscriptions?notice=renewed',
    };
  });
}
