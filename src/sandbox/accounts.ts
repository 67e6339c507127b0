import { randomBytes } from 'node:crypto';
import { addDays, addYears, type IsoDate } from './dates.js';
import { randomId, type AccountRecord, type Group, type Store, type Subscription } from './store.js';

/** States a fresh account can be made in (the first three are the contract). */
export const FRESH_STATES = ['none', 'active', 'renewable', 'reseller', 'multi_year'] as const;
export type FreshState = (typeof FRESH_STATES)[number];

/** What `POST /__sandbox/accounts` answers. */
export interface NewAccount {
  readonly email: string;
  readonly password: string;
  readonly state: FreshState;
  readonly subscriptionId?: string;
  readonly group: string;
}

export interface AccountClock {
  readonly today: IsoDate;
  /** performance.now(): seeded subscriptions count as provisioned long ago. */
  readonly mono: number;
}

const SEATS = 5;
const SEATS_IN_USE = 3;

export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

function subscriptionFor(
  store: Store,
  state: FreshState,
  account: AccountRecord,
  group: Group,
  clock: AccountClock,
): Subscription {
  const renewable = state === 'renewable';
  const termStart = renewable ? addYears(addDays(clock.today, 10), -1) : addDays(clock.today, -100);
  return {
    id: store.nextSubscriptionId(),
    accountId: account.id,
    groupPath: group.path,
    plan: 'premium',
    seats: SEATS,
    termStart,
    termEnd: addYears(termStart, state === 'multi_year' ? 3 : 1),
    autoRenew: !renewable,
    reseller: state === 'reseller',
    provisionedAt: clock.mono - 1,
  };
}

/**
 * Makes an account in a known state:
 * `none` a free group (3 members) and no subscription; `active` Premium, 5 seats, 3 in use,
 * 265 days left; `renewable` the same ending in 10 days; `reseller` and `multi_year` active
 * ones that cannot take seats online.
 */
export function createAccount(
  store: Store,
  state: FreshState,
  clock: AccountClock,
  fixed?: { email: string; password: string },
): NewAccount {
  const tag = randomId(4);
  const account: AccountRecord = {
    id: randomId(8),
    email: fixed?.email ?? `prober-${tag}@sandbox.test`,
    password: fixed?.password ?? randomPassword(),
    state,
    demo: fixed !== undefined,
  };
  const group: Group = {
    path: `group-${tag}`,
    name: `Team ${tag}`,
    accountId: account.id,
    seatsInUse: SEATS_IN_USE,
  };
  store.addAccount(account);
  store.groups.set(group.path, group);
  let subscriptionId: string | undefined;
  if (state !== 'none') {
    const subscription = subscriptionFor(store, state, account, group, clock);
    store.subscriptions.set(subscription.id, subscription);
    subscriptionId = subscription.id;
  }
  return {
    email: account.email,
    password: account.password,
    state,
    group: group.path,
    ...(subscriptionId === undefined ? {} : { subscriptionId }),
  };
}

/** The demo accounts' credentials: made once per sandbox so they survive `reset`. */
export function demoCredentials(): { email: string; password: string; state: FreshState }[] {
  return FRESH_STATES.map((state) => ({
    email: `demo-${state.replace('_', '-')}@sandbox.test`,
    password: randomPassword(),
    state,
  }));
}
