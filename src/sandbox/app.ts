import { type DemoAccount, type FreshState, type NewAccount, createAccount } from './accounts.js';
import { type IsoDate, dateOf } from './dates.js';
import type { FaultSet } from './faults.js';
import { sendHtml } from './http.js';
import { CardLimiter } from './payment/cards.js';
import type { RequestLog } from './pipeline.js';
import { type Catalogue, DEFAULT_CATALOGUE } from './pricing.js';
import { Store } from './store.js';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export type { DemoAccount } from './accounts.js';

export interface AppConfig {
  readonly catalogue: Catalogue;
  readonly now: () => Date;
  readonly provisioningDelayMs: number;
  readonly maxAccounts: number;
  readonly demoAccounts: readonly DemoAccount[];
  readonly faults: FaultSet;
  readonly requests: RequestLog;
  readonly sessionTtlMs: number;
  readonly cardLimit: CardLimit;
  readonly log?: Logger;
}

/** What the control API can change at run time (`PUT /__sandbox/settings`); reset restores it. */
export interface Settings {
  sessionTtlMs: number;
  cardLimit: CardLimit;
}

/** The sandbox's state and dependencies, handed to every route. */
export class SandboxApp {
  store: Store;
  /** The three origins, filled in once the servers listen. */
  readonly urls = { portal: '', payment: '', gitlab: '' };
  readonly settings: Settings;
  readonly cards: CardLimiter;

  constructor(readonly config: AppConfig) {
    this.settings = { sessionTtlMs: config.sessionTtlMs, cardLimit: config.cardLimit };
    this.cards = new CardLimiter(config.cardLimit);
    this.store = this.#seeded();
  }

  get faults(): FaultSet {
    return this.config.faults;
  }

  today(): IsoDate {
    return dateOf(this.config.now());
  }

  /** Monotonic milliseconds: what sessions, codes and the card limit are timed by. */
  mono(): number {
    return performance.now();
  }

  setCardLimit(limit: CardLimit): void {
    this.settings.cardLimit = limit;
    this.cards.limit = limit;
  }

  /** Back to the seeded state: accounts, sessions, orders, card counts, settings and faults; the request log stays. */
  reset(): void {
    this.store = this.#seeded();
    this.config.faults.clear();
    this.cards.clear();
    this.settings.sessionTtlMs = this.config.sessionTtlMs;
    this.setCardLimit(this.config.cardLimit);
  }

  newAccount(input: { state: FreshState; twoFactor?: boolean }): NewAccount {
    return createAccount(this.store, input, { today: this.today(), mono: this.mono() });
  }

  /** Sends a page of the portal or GitLab.com, applying any removeTestId and replaceText fault. */
  page(
    target: { readonly res: ServerResponse },
    status: number,
    body: string,
    headers: Record<string, string | string[]> = {},
  ): void {
    const { faults } = this.config;
    const regressions = { removedTestIds: faults.removedTestIds(), replacedTexts: faults.replacedTexts() };
    sendHtml(target.res, status, body, regressions, headers);
  }

  #seeded(): Store {
    const store = new Store(this.config.maxAccounts);
    const clock = { today: dateOf(this.config.now()), mono: this.mono() };
    for (const demo of this.config.demoAccounts) createAccount(store, { state: demo.state }, clock, demo);
    return store;
  }
}

/** Options of `startSandbox()`; every field is optional. */
export interface SandboxOptions {
  /** Listen address of both origins; default '127.0.0.1'. */
  host?: string;
  /** Portal origin port; 0 (default) picks a free port. */
  port?: number;
  /** Payment origin port (a second origin); 0 (default) picks a free port. */
  paymentPort?: number;
  /** GitLab.com origin port (a third origin); 0 (default) picks a free port. */
  gitlabPort?: number;
  /** Lifetime of a portal or GitLab.com session from sign-in; default 8 hours. */
  sessionTtlMs?: number;
  /** Card-submission limit of the payment origin, per account; default 3 a minute, 6 an hour. */
  cardLimit?: Partial<CardLimit>;
  /** Delay between an order and the group showing the paid plan; default 2000 ms. */
  provisioningDelayMs?: number;
  /** Cents per user per year; defaults 22800 (premium) and 118800 (ultimate). */
  prices?: Partial<Record<'premium' | 'ultimate', number>>;
  /** Injectable clock (the date drives terms and proration). */
  now?: () => Date;
  /** Seed the demo accounts (default true). */
  seedDemoAccounts?: boolean;
  /** Bound on fresh accounts kept in memory; the oldest go first. Default 5000. */
  maxAccounts?: number;
  log?: Logger;
}

/** At most `perMinute` card submissions in any 60 s and `perHour` in any hour, per account. */
export interface CardLimit {
  readonly perMinute: number;
  readonly perHour: number;
}

export const DEFAULT_CARD_LIMIT: CardLimit = { perMinute: 3, perHour: 6 };
export const DEFAULT_SESSION_TTL_MS = 8 * 3_600_000;

/** A bad option given to `startSandbox()`. */
export class SandboxOptionsError extends Error {
  override readonly name = 'SandboxOptionsError';
}

export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly paymentPort: number;
  readonly gitlabPort: number;
  readonly sessionTtlMs: number;
  readonly cardLimit: CardLimit;
  readonly provisioningDelayMs: number;
  readonly catalogue: Catalogue;
  readonly now: () => Date;
  readonly seedDemoAccounts: boolean;
  readonly maxAccounts: number;
  readonly log?: Logger;
}

/** Checks a card limit (from the options or the control API). */
export function checkCardLimit(value: Partial<CardLimit> | undefined, name: string): CardLimit {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw new SandboxOptionsError(`sandbox option ${name} must be {perMinute, perHour}`);
  }
  const limit = {
    perMinute: integer(value?.perMinute, `${name}.perMinute`, 1, 10_000, DEFAULT_CARD_LIMIT.perMinute),
    perHour: integer(value?.perHour, `${name}.perHour`, 1, 100_000, DEFAULT_CARD_LIMIT.perHour),
  };
  if (limit.perHour < limit.perMinute) {
    throw new SandboxOptionsError(
      `sandbox option ${name}.perHour (${limit.perHour}) must be at least perMinute (${limit.perMinute})`,
    );
  }
  return limit;
}

export function checkSessionTtl(value: unknown, name = 'sessionTtlMs'): number {
  return integer(value, name, 1, 30 * 24 * 3_600_000, DEFAULT_SESSION_TTL_MS);
}

function integer(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SandboxOptionsError(
      `sandbox option ${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Checks every option eagerly and fills in defaults. */
export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.trim() === '')
    throw new SandboxOptionsError('sandbox option host must be a non-empty string');
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new SandboxOptionsError('sandbox option now must be a function returning a Date');
  }
  const prices = options.prices ?? {};
  for (const key of Object.keys(prices)) {
    if (!(key in DEFAULT_CATALOGUE))
      throw new SandboxOptionsError(`sandbox option prices has an unknown plan "${key}"`);
  }
  const catalogue: Catalogue = {
    premium: integer(prices.premium, 'prices.premium', 1, 100_000_000, DEFAULT_CATALOGUE.premium),
    ultimate: integer(prices.ultimate, 'prices.ultimate', 1, 100_000_000, DEFAULT_CATALOGUE.ultimate),
  };
  return {
    host,
    port: integer(options.port, 'port', 0, 65_535, 0),
    paymentPort: integer(options.paymentPort, 'paymentPort', 0, 65_535, 0),
    gitlabPort: integer(options.gitlabPort, 'gitlabPort', 0, 65_535, 0),
    sessionTtlMs: checkSessionTtl(options.sessionTtlMs),
    cardLimit: checkCardLimit(options.cardLimit, 'cardLimit'),
    provisioningDelayMs: integer(options.provisioningDelayMs, 'provisioningDelayMs', 0, 600_000, 2000),
    catalogue,
    now: options.now ?? ((): Date => new Date()),
    seedDemoAccounts: options.seedDemoAccounts ?? true,
    maxAccounts: integer(options.maxAccounts, 'maxAccounts', 1, 1_000_000, 5000),
    ...(options.log === undefined ? {} : { log: options.log }),
  };
}
