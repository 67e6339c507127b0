import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { createAccount, type DemoAccount, type FreshState, type NewAccount } from './accounts.js';
import { dateOf, type IsoDate } from './dates.js';
import type { FaultSet } from './faults.js';
import { sendHtml } from './http.js';
import type { CardLimit } from './options.js';
import { CardLimiter } from './payment/cards.js';
import type { Catalogue } from './pricing.js';
import type { RequestLog } from './request-log.js';
import { Store } from './store.js';

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

  /** Sends a page of the portal or GitLab.com, applying any removeTestId fault. */
  page(
    target: { readonly res: ServerResponse },
    status: number,
    body: string,
    headers: Record<string, string | string[]> = {},
  ): void {
    sendHtml(target.res, status, body, this.config.faults.removedTestIds(), headers);
  }

  #seeded(): Store {
    const store = new Store(this.config.maxAccounts);
    const clock = { today: dateOf(this.config.now()), mono: this.mono() };
    for (const demo of this.config.demoAccounts) createAccount(store, { state: demo.state }, clock, demo);
    return store;
  }
}
