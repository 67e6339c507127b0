import { randomBytes } from 'node:crypto';
import type { IsoDate } from './dates.js';
import { OAuthState } from './gitlab/oauth.js';
import type { PlanId } from './pricing.js';

/** A billing address: what the checkout's "Contact information" summary shows. */
export interface Address {
  readonly name: string;
  readonly company: string;
  readonly country: string;
  readonly street1: string;
  readonly street2?: string | undefined;
  readonly city: string;
  readonly state?: string | undefined;
  readonly zip: string;
}

/** A GitLab.com user and the portal customer of the same person. */
export interface AccountRecord {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly password: string;
  /** Base32 TOTP secret when two-factor authentication is on. */
  readonly otpSecret?: string;
  /** The state it was created in: none, active, renewable, reseller, multi_year. */
  readonly state: string;
  readonly demo: boolean;
  /** Set after the first order (or seeded): a returning customer sees "Contact information". */
  billing?: Address;
  /** Payment methods kept for "Select existing card", newest last. */
  readonly savedCards: string[];
  /** The consent page was answered "Authorize" once. */
  consented: boolean;
  /** The last TOTP time step accepted: a code is single use. */
  lastOtpStep: number;
}

/** A GitLab group (namespace), with GitLab's numeric id. */
export interface Group {
  readonly id: number;
  readonly path: string;
  readonly name: string;
  readonly accountId: string;
  /** Billable members: the floor for seats. */
  readonly seatsInUse: number;
  /** The parent group's id: a subgroup cannot take a subscription. */
  readonly parentId?: number;
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
  /** Why auto-renew was turned off, as chosen in the cancel dialog. */
  cancelReason?: string;
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
  /** Where the browser goes after the order (absolute for GitLab.com). */
  readonly redirect: string;
}

/** A card tokenised by the payment origin: what the portal receives instead of the number. */
export interface PaymentMethod {
  readonly id: string;
  readonly accountId: string;
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: string;
  readonly expYear: string;
  /** The lock-contention magic card: its first confirm of each order fails. */
  readonly lockContention: boolean;
}

export type SessionOrigin = 'portal' | 'gitlab';

interface Session {
  readonly accountId: string;
  readonly origin: SessionOrigin;
  /** performance.now() at sign-in. */
  readonly createdAt: number;
  expired: boolean;
}

/** What a session cookie resolves to. */
export type SessionLookup =
  | { readonly kind: 'account'; readonly account: AccountRecord }
  | { readonly kind: 'expired' }
  | { readonly kind: 'none' };

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
  readonly sessions = new Map<string, Session>();
  readonly paymentMethods = new Map<string, PaymentMethod>();
  readonly oauth = new OAuthState();
  /** Payment-form token → account: how the payment origin knows whose card submissions to count. */
  readonly paymentTokens = new Map<string, string>();
  #subscriptionSeq = 10_000;
  #groupSeq = 1000;

  constructor(private readonly maxAccounts: number) {}

  nextSubscriptionId(): string {
    this.#subscriptionSeq += 1;
    return `A-S${String(this.#subscriptionSeq).padStart(8, '0')}`;
  }

  nextGroupId(): number {
    this.#groupSeq += 1;
    return this.#groupSeq;
  }

  /** By username or email, as GitLab.com's "Username or primary email" field takes either. */
  findAccountByLogin(login: string): AccountRecord | undefined {
    const wanted = login.trim().toLowerCase();
    if (wanted === '') return undefined;
    for (const account of this.accounts.values()) {
      if (account.email === wanted || account.username.toLowerCase() === wanted) return account;
    }
    return undefined;
  }

  groupById(id: number): Group | undefined {
    for (const group of this.groups.values()) if (group.id === id) return group;
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
    for (const [sid, session] of this.sessions)
      if (session.accountId === accountId) this.sessions.delete(sid);
    for (const key of this.idempotency.keys())
      if (key.startsWith(`${accountId}:`)) this.idempotency.delete(key);
    for (const key of this.lockContended) if (key.startsWith(`${accountId}:`)) this.lockContended.delete(key);
    for (const [id, method] of this.paymentMethods)
      if (method.accountId === accountId) this.paymentMethods.delete(id);
    for (let i = this.orders.length - 1; i >= 0; i -= 1) {
      if (this.orders[i]?.accountId === accountId) this.orders.splice(i, 1);
    }
  }

  createSession(accountId: string, origin: SessionOrigin, now: number): string {
    const sid = randomBytes(24).toString('base64url');
    this.sessions.set(sid, { accountId, origin, createdAt: now, expired: false });
    // Bounded: the oldest sessions go first (a Map iterates in insertion order).
    const cap = this.maxAccounts * 8 + 100;
    for (const key of this.sessions.keys()) {
      if (this.sessions.size <= cap) break;
      this.sessions.delete(key);
    }
    return sid;
  }

  /** The account of a session cookie on `origin`; `expired` once older than `ttlMs` or expired by hand. */
  session(sid: string | undefined, origin: SessionOrigin, ttlMs: number, now: number): SessionLookup {
    if (sid === undefined) return { kind: 'none' };
    const session = this.sessions.get(sid);
    if (session === undefined || session.origin !== origin) return { kind: 'none' };
    const account = this.accounts.get(session.accountId);
    if (account === undefined) return { kind: 'none' };
    if (session.expired || now - session.createdAt >= ttlMs) return { kind: 'expired' };
    return { kind: 'account', account };
  }

  /** Expires one account's sessions now (on one origin or both); returns how many. */
  expireSessions(accountId: string, origin?: SessionOrigin): number {
    let count = 0;
    for (const session of this.sessions.values()) {
      if (session.accountId !== accountId || session.expired) continue;
      if (origin !== undefined && session.origin !== origin) continue;
      session.expired = true;
      count += 1;
    }
    return count;
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

  /** A token for one payment form page of `accountId` (bounded: the oldest go first). */
  issuePaymentToken(accountId: string): string {
    const key = randomBytes(18).toString('base64url');
    this.paymentTokens.set(key, accountId);
    for (const k of this.paymentTokens.keys()) {
      if (this.paymentTokens.size <= MAX_PAYMENT_METHODS) break;
      this.paymentTokens.delete(k);
    }
    return key;
  }

  addPaymentMethod(method: PaymentMethod): void {
    this.paymentMethods.set(method.id, method);
    for (const key of this.paymentMethods.keys()) {
      if (this.paymentMethods.size <= MAX_PAYMENT_METHODS) break;
      this.paymentMethods.delete(key);
    }
  }
}
