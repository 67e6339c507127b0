import { randomBytes } from 'node:crypto';
import type { IsoDate } from './dates.js';
import type { PlanId } from './pricing.js';

/** A portal user. Demo accounts survive `maxAccounts` trimming; fresh ones do not. */
export interface AccountRecord {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  /** The state it was created in: none, active, renewable, reseller, multi_year. */
  readonly state: string;
  readonly demo: boolean;
}

/** A GitLab group (namespace) the account owns. */
export interface Group {
  readonly path: string;
  readonly name: string;
  readonly accountId: string;
  /** Billable members: the floor for seats. */
  readonly seatsInUse: number;
}

export interface Subscription {
  readonly id: string;
  readonly accountId: string;
  readonly groupPath: string;
  readonly plan: PlanId;
  seats: number;
  termStart: IsoDate;
  termEnd: IsoDate;
  autoRenew: boolean;
  readonly reseller: boolean;
  /** Monotonic time (performance.now()) from which the group is on the paid plan. */
  readonly provisionedAt: number;
}

export const ORDER_KINDS = ['new', 'extra_seats', 'renewal'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export interface Order {
  readonly id: string;
  readonly accountId: string;
  readonly kind: OrderKind;
  readonly subscriptionId: string;
  readonly description: string;
  readonly amountCents: number;
  readonly createdAt: string;
  /** Where the browser goes after the order. */
  readonly redirect: string;
}

/** A card tokenised by the payment origin: what the portal receives instead of the number. */
export interface PaymentMethod {
  readonly id: string;
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: string;
  readonly expYear: string;
  /** The lock-contention magic card: its first confirm of each order fails. */
  readonly lockContention: boolean;
}

const MAX_PAYMENT_METHODS = 10_000;

export function randomId(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

/** Everything the sandbox remembers, in memory. One instance per sandbox; `reset` makes a new one. */
export class Store {
  readonly accounts = new Map<string, AccountRecord>();
  readonly groups = new Map<string, Group>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly orders: Order[] = [];
  /** `accountId:key` → order: a repeated submit answers with the first order. */
  readonly idempotency = new Map<string, Order>();
  /** `accountId:key` of order attempts that already met a lock contention once. */
  readonly lockContended = new Set<string>();
  readonly sessions = new Map<string, string>();
  readonly paymentMethods = new Map<string, PaymentMethod>();
  #subscriptionSeq = 10_000;

  constructor(private readonly maxAccounts: number) {}

  nextSubscriptionId(): string {
    this.#subscriptionSeq += 1;
    return `A-S${String(this.#subscriptionSeq).padStart(8, '0')}`;
  }

  findAccountByEmail(email: string): AccountRecord | undefined {
    const wanted = email.trim().toLowerCase();
    for (const account of this.accounts.values()) if (account.email === wanted) return account;
    return undefined;
  }

  /** Adds an account, dropping the oldest fresh accounts beyond `maxAccounts`. */
  addAccount(account: AccountRecord): void {
    this.accounts.set(account.id, account);
    let fresh = 0;
    for (const a of this.accounts.values()) if (!a.demo) fresh += 1;
    for (const a of this.accounts.values()) {
      if (fresh <= this.maxAccounts) break;
      if (a.demo || a.id === account.id) continue;
      this.dropAccount(a.id);
      fresh -= 1;
    }
  }

  dropAccount(accountId: string): void {
    this.accounts.delete(accountId);
    for (const [path, group] of this.groups) if (group.accountId === accountId) this.groups.delete(path);
    for (const [id, sub] of this.subscriptions)
      if (sub.accountId === accountId) this.subscriptions.delete(id);
    for (const [sid, owner] of this.sessions) if (owner === accountId) this.sessions.delete(sid);
    for (const key of this.idempotency.keys())
      if (key.startsWith(`${accountId}:`)) this.idempotency.delete(key);
    for (const key of this.lockContended) if (key.startsWith(`${accountId}:`)) this.lockContended.delete(key);
    for (let i = this.orders.length - 1; i >= 0; i -= 1) {
      if (this.orders[i]?.accountId === accountId) this.orders.splice(i, 1);
    }
  }

  createSession(accountId: string): string {
    const sid = randomBytes(24).toString('base64url');
    this.sessions.set(sid, accountId);
    // Bounded: the oldest sessions go first (a Map iterates in insertion order).
    const cap = this.maxAccounts * 4 + 100;
    for (const key of this.sessions.keys()) {
      if (this.sessions.size <= cap) break;
      this.sessions.delete(key);
    }
    return sid;
  }

  groupsOf(accountId: string): Group[] {
    return [...this.groups.values()].filter((g) => g.accountId === accountId);
  }

  subscriptionsOf(accountId: string): Subscription[] {
    return [...this.subscriptions.values()].filter((s) => s.accountId === accountId);
  }

  subscriptionOfGroup(groupPath: string): Subscription | undefined {
    for (const sub of this.subscriptions.values()) if (sub.groupPath === groupPath) return sub;
    return undefined;
  }

  ordersOf(accountId: string): Order[] {
    return this.orders.filter((o) => o.accountId === accountId);
  }

  addPaymentMethod(method: PaymentMethod): void {
    this.paymentMethods.set(method.id, method);
    for (const key of this.paymentMethods.keys()) {
      if (this.paymentMethods.size <= MAX_PAYMENT_METHODS) break;
      this.paymentMethods.delete(key);
    }
  }
}
