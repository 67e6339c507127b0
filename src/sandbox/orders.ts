import type { SandboxApp } from './app.js';
import { formatDate } from './dates.js';
import { HttpError } from './http.js';
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
  type Address,
  type Group,
  type Order,
  type OrderKind,
  type PaymentMethod,
  type Subscription,
} from './store.js';

/** What the provider says when its lock is taken: the portal shows it, a retry succeeds. */
export const LOCK_CONTENTION_MESSAGE = 'Operation failed due to a lock competition, please retry later.';

/** A subscription of the signed-in account, by numeric namespace id; 404 when it is not theirs. */
export function ownedSubscription(
  app: SandboxApp,
  account: AccountRecord,
  namespaceId: number,
): { sub: Subscription; group: Group } {
  const group = app.store.groupById(namespaceId);
  const sub = group === undefined ? undefined : app.store.subscriptionOfGroup(group.path);
  if (group === undefined || group.accountId !== account.id || sub === undefined) {
    throw new HttpError(404, `No subscription found for namespace ${namespaceId}.`);
  }
  return { sub, group };
}

/**
 * The group a new subscription is bought for: it must exist, be top-level, be owned by
 * the buyer and have no subscription yet (the flows file's troubleshooting facts).
 */
export function purchasableGroup(app: SandboxApp, account: AccountRecord, namespaceId: number): Group {
  const group = app.store.groupById(namespaceId);
  if (group === undefined) throw new HttpError(404, `Group ${namespaceId} was not found.`);
  if (group.accountId !== account.id) {
    throw new HttpError(403, `You must be an owner of group ${group.name} to buy a subscription for it.`);
  }
  if (group.parentId !== undefined) {
    throw new HttpError(
      422,
      `${group.name} is a subgroup: subscriptions can only be bought for top-level groups.`,
    );
  }
  if (app.store.subscriptionOfGroup(group.path) !== undefined) {
    throw new HttpError(409, `${group.name} already has a subscription.`);
  }
  return group;
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
  if (method === undefined || method.accountId !== attempt.account.id)
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
  if (!attempt.account.savedCards.includes(method.id)) attempt.account.savedCards.push(method.id);
  return order;
}

/** A new subscription for an owned, empty top-level group. Provisioned later. */
export function placeNewOrder(
  app: SandboxApp,
  attempt: Attempt,
  input: {
    plan: PlanId;
    quantity: number;
    namespaceId: number;
    address?: Omit<Address, 'name' | 'company'> | undefined;
  },
): Order {
  const group = purchasableGroup(app, attempt.account, input.namespaceId);
  if (attempt.account.billing === undefined && input.address === undefined) {
    throw new HttpError(422, 'address: a billing address is required for a new customer');
  }
  if (input.quantity < group.seatsInUse) {
    throw new HttpError(422, `Must be ${group.seatsInUse} (your seats in use) or more.`);
  }
  const quote = quoted(() =>
    newSubscriptionQuote(app.config.catalogue, input.plan, input.quantity, app.today()),
  );
  return place(app, attempt, () => {
    if (attempt.account.billing === undefined && input.address !== undefined) {
      attempt.account.billing = { ...input.address, name: attempt.account.username, company: group.name };
    }
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
      redirect: `${app.urls.gitlab}/groups/${encodeURIComponent(group.path)}/-/billings`,
    };
  });
}

export function placeSeatsOrder(
  app: SandboxApp,
  attempt: Attempt,
  input: { namespaceId: number; additional: number },
): Order {
  const { sub } = ownedSubscription(app, attempt.account, input.namespaceId);
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
  input: { namespaceId: number; quantity: number },
): Order {
  const { sub, group } = ownedSubscription(app, attempt.account, input.namespaceId);
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

/** The newest card on file, as "Select existing card" shows it. */
export function savedCardOf(app: SandboxApp, account: AccountRecord): PaymentMethod | undefined {
  for (let i = account.savedCards.length - 1; i >= 0; i -= 1) {
    const method = app.store.paymentMethods.get(account.savedCards[i] ?? '');
    if (method !== undefined) return method;
  }
  return undefined;
}
