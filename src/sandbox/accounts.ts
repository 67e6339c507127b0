import { randomBytes } from 'node:crypto';
import { addDays, addYears, type IsoDate } from './dates.js';
import { newOtpSecret } from './gitlab/oauth.js';
import {
  randomId,
  type AccountRecord,
  type Address,
  type Group,
  type Store,
  type Subscription,
} from './store.js';

/** States a fresh account can be made in (the first three are the contract). */
export const FRESH_STATES = ['none', 'active', 'renewable', 'reseller', 'multi_year'] as const;
export type FreshState = (typeof FRESH_STATES)[number];

/** What `POST /__sandbox/accounts` answers (DESIGN.md "Sandbox"), plus a few conveniences. */
export interface NewAccount {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly otpSecret?: string;
  readonly groupId: number;
  readonly groupPath: string;
  readonly subgroupId: number;
  readonly subscriptionId?: string;
  readonly state: FreshState;
}

/** What makes a seeded demo account the same across resets. */
export interface FixedCredentials {
  readonly username: string;
  readonly password: string;
  readonly otpSecret?: string;
}

export interface AccountClock {
  readonly today: IsoDate;
  /** performance.now(): seeded subscriptions count as provisioned long ago. */
  readonly mono: number;
}

const SEATS = 5;
const SEATS_IN_USE = 3;

/** GitLab's QA address: what a returning customer's "Contact information" shows. */
export const QA_ADDRESS: Address = {
  name: 'QA Test',
  company: 'Sandbox QA',
  country: 'US',
  street1: '1 Market St',
  city: 'San Francisco',
  state: 'CA',
  zip: '94102',
};

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

/** A paying customer already has a billing account and a card on file. */
function returningCustomer(store: Store, account: AccountRecord, clock: AccountClock): void {
  account.billing = QA_ADDRESS;
  const id = `pm_${randomId(10)}`;
  store.addPaymentMethod({
    id,
    accountId: account.id,
    brand: 'Visa',
    last4: '1111',
    expMonth: '01',
    expYear: String(Number(clock.today.slice(0, 4)) + 4),
    lockContention: false,
  });
  account.savedCards.push(id);
}

/**
 * Makes a GitLab.com account and its portal customer in a known state, owning a top-level
 * group (3 billable members) and a subgroup: `none` no subscription; `active` Premium, 5
 * seats, 265 days left; `renewable` the same ending in 10 days; `reseller` and `multi_year`
 * active ones that cannot take seats online.
 */
export function createAccount(
  store: Store,
  input: { state: FreshState; twoFactor?: boolean },
  clock: AccountClock,
  fixed?: FixedCredentials,
): NewAccount {
  const { state } = input;
  const tag = randomId(4);
  const username = fixed?.username ?? `prober-${tag}`;
  const otpSecret =
    fixed === undefined ? (input.twoFactor === true ? newOtpSecret() : undefined) : fixed.otpSecret;
  const account: AccountRecord = {
    id: randomId(8),
    username,
    email: `${username}@sandbox.test`,
    password: fixed?.password ?? randomPassword(),
    ...(otpSecret === undefined ? {} : { otpSecret }),
    state,
    demo: fixed !== undefined,
    savedCards: [],
    consented: false,
    lastOtpStep: 0,
  };
  const group: Group = {
    id: store.nextGroupId(),
    path: `group-${tag}`,
    name: `Team ${tag}`,
    accountId: account.id,
    seatsInUse: SEATS_IN_USE,
  };
  const subgroup: Group = {
    id: store.nextGroupId(),
    path: `${group.path}/sub`,
    name: `Team ${tag} / sub`,
    accountId: account.id,
    seatsInUse: 1,
    parentId: group.id,
  };
  store.addAccount(account);
  store.groups.set(group.path, group);
  store.groups.set(subgroup.path, subgroup);
  let subscriptionId: string | undefined;
  if (state !== 'none') {
    const subscription = subscriptionFor(store, state, account, group, clock);
    store.subscriptions.set(subscription.id, subscription);
    subscriptionId = subscription.id;
    returningCustomer(store, account, clock);
  }
  return {
    username: account.username,
    email: account.email,
    password: account.password,
    ...(otpSecret === undefined ? {} : { otpSecret }),
    groupId: group.id,
    groupPath: group.path,
    subgroupId: subgroup.id,
    ...(subscriptionId === undefined ? {} : { subscriptionId }),
    state,
  };
}

/** A seeded demo account: the same credentials after every reset. */
export interface DemoAccount extends FixedCredentials {
  readonly state: FreshState;
  readonly email: string;
}

/** The demo accounts' credentials: made once per sandbox so they survive `reset`. */
export function demoCredentials(): DemoAccount[] {
  const plain = FRESH_STATES.map((state) => {
    const username = `demo-${state.replace('_', '-')}`;
    return { username, email: `${username}@sandbox.test`, password: randomPassword(), state };
  });
  const twoFactor: DemoAccount = {
    username: 'demo-two-factor',
    email: 'demo-two-factor@sandbox.test',
    password: randomPassword(),
    otpSecret: newOtpSecret(),
    state: 'active',
  };
  return [...plain, twoFactor];
}
