import type { Logger } from 'pino';
import { createAccount, type FreshState } from './accounts.js';
import { dateOf, type IsoDate } from './dates.js';
import type { FaultSet } from './faults.js';
import { sendHtml } from './http/respond.js';
import type { ServerResponse } from 'node:http';
import type { Catalogue } from './pricing.js';
import type { RequestLog } from './request-log.js';
import { Store } from './store.js';

/** A demo account: seeded at start and again on every reset, with the same password. */
export interface DemoAccount {
  readonly email: string;
  readonly password: string;
  readonly state: FreshState;
}

export interface AppConfig {
  readonly catalogue: Catalogue;
  readonly now: () => Date;
  readonly provisioningDelayMs: number;
  readonly maxAccounts: number;
  readonly demoAccounts: readonly DemoAccount[];
  readonly faults: FaultSet;
  readonly requests: RequestLog;
  readonly log?: Logger;
}

/** The sandbox's state and dependencies, handed to every route. */
export class SandboxApp {
  store: Store;
  /** Both origins, filled in once the servers listen. */
  readonly urls = { portal: '', payment: '' };

  constructor(readonly config: AppConfig) {
    this.store = this.#seeded();
  }

  get faults(): FaultSet {
    return this.config.faults;
  }

  today(): IsoDate {
    return dateOf(this.config.now());
  }

  /** Back to the seeded state: accounts, orders and faults; the request log stays. */
  reset(): void {
    this.store = this.#seeded();
    this.config.faults.clear();
  }

  newAccount(state: FreshState): ReturnType<typeof createAccount> {
    return createAccount(this.store, state, { today: this.today(), mono: performance.now() });
  }

  /** Sends a portal page, applying any removeTestId fault. */
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
    const clock = { today: dateOf(this.config.now()), mono: performance.now() };
    for (const demo of this.config.demoAccounts) createAccount(store, demo.state, clock, demo);
    return store;
  }
}
