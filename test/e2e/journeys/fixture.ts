import { expect } from '@playwright/test';
import type { CardBudget } from '../../../src/accounts/card-budget.js';
import { createAccountProvider } from '../../../src/accounts/provider.js';
import type { SessionStore } from '../../../src/accounts/sessions.js';
import { SANDBOX_TEST_CARD } from '../../../src/config/secrets.js';
import { BUILT_IN_TARGETS, DEFAULT_CARD_BUDGET, type Target } from '../../../src/config/targets.js';
import { Secret } from '../../../src/journey/secret.js';
import type { Journey, RunResult, TargetInfo } from '../../../src/journey/types.js';
import { SecretRegistry } from '../../../src/log.js';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { runJourney } from '../../../src/runner/run-journey.js';
import type { AccountProvider, RunOptions } from '../../../src/runner/types.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/index.js';
import { silentLogger, testPool } from '../helpers/browser.js';

/** One sandbox and one browser pool per test file (or per lane): `start()` in beforeAll, `stop()` in afterAll. */
export interface JourneyFixture {
  readonly sandbox: Sandbox;
  readonly pool: BrowserPool;
  /** The sandbox as a target, with the built-in sandbox params plus `params`, and the test card or `card`. */
  target(overrides?: TargetOverrides): TargetInfo;
  run(journey: Journey, target?: TargetInfo, options?: Partial<RunOptions>): Promise<RunResult>;
  control<T>(method: string, path: string, body?: unknown): Promise<T>;
  setFaults(faults: readonly unknown[]): Promise<void>;
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
}

/** What a test changes of the sandbox target: `card`, a magic card's number and CVV. */
export interface TargetOverrides {
  readonly allowPurchases?: boolean;
  readonly params?: Record<string, string>;
  readonly card?: { readonly number: string; readonly cvv?: string };
}

/** Server-side timing of one request (GET /__sandbox/requests). */
export interface ServerRequest {
  readonly origin: 'portal' | 'payment' | 'gitlab';
  readonly method: string;
  readonly path: string;
  readonly step: string;
  readonly status: number;
  readonly durationMs: number;
  readonly synthetic?: string;
  readonly faults?: readonly string[];
}

/** Fresh sandbox accounts in the journey's state (two-factor ones when asked), as the CLI gets them. */
export function sandboxAccounts(
  portalUrl: string,
  options: { twoFactor?: boolean; sessions?: SessionStore; cardBudget?: CardBudget } = {},
): AccountProvider {
  const target: Target = {
    name: 'sandbox',
    baseUrl: portalUrl,
    allowPurchases: true,
    params: {},
    latencyBudgetMs: {},
    cardBudget: DEFAULT_CARD_BUDGET,
    accountSource: { kind: 'sandbox', twoFactor: options.twoFactor ?? false },
  };
  return createAccountProvider(target, new SecretRegistry(), {}, options);
}

/**
 * A sandbox of its own (its faults are its own) and a browser pool: a new one, or `shared`,
 * which the caller closes (stop() leaves it open).
 */
export async function startJourneyFixture(
  options: SandboxOptions = {},
  shared?: BrowserPool,
): Promise<JourneyFixture> {
  const sandbox = await startSandbox({ provisioningDelayMs: 300, ...options });
  const pool = shared ?? testPool();
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sandbox.portalUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.ok, `${method} ${path}: HTTP ${response.status}`).toBe(true);
    return (await response.json()) as T;
  };
  const target = (overrides: TargetOverrides = {}): TargetInfo => {
    const card = { ...SANDBOX_TEST_CARD, ...overrides.card };
    return {
      name: 'sandbox',
      baseUrl: sandbox.portalUrl,
      gitlabUrl: sandbox.gitlabUrl,
      allowPurchases: overrides.allowPurchases ?? true,
      params: { ...BUILT_IN_TARGETS.sandbox?.params, ...overrides.params },
      card: { number: new Secret(card.number), cvv: new Secret(card.cvv) },
    };
  };
  return {
    sandbox,
    pool,
    target,
    run: (journey, on = target(), options = {}) =>
      runJourney(journey, on, {
        browser: pool,
        accounts: sandboxAccounts(sandbox.portalUrl),
        log: silentLogger(),
        ...options,
      }),
    control,
    setFaults: async (faults) => void (await control('PUT', '/__sandbox/faults', faults)),
    clearFaults: async () => void (await control('DELETE', '/__sandbox/faults')),
    stop: async () => {
      if (shared === undefined) await pool.close();
      await sandbox.close();
    },
  };
}

/**
 * The requests the sandbox saw from one run: those on the target's origins by its
 * X-Synthetic-Journey header, and those on the payment origin (a third party: never tagged)
 * by the run's time window. A fixture's runs are sequential, so the window is the run's.
 */
export async function requestsOf(fixture: JourneyFixture, result: RunResult): Promise<ServerRequest[]> {
  const body = await fixture.control<{ requests: (ServerRequest & { startedAt: string })[] }>(
    'GET',
    '/__sandbox/requests',
  );
  const from = Date.parse(result.startedAt);
  const to = from + result.durationMs;
  const tag = `${result.journey}/${result.runId}`;
  return body.requests.filter((r) => {
    if (r.origin !== 'payment') return r.synthetic === tag;
    const at = Date.parse(r.startedAt);
    return at >= from && at <= to;
  });
}

/** A readable summary of a result for assertion messages. */
export function describe(result: RunResult): string {
  const steps = result.steps.map(
    (s) => `${s.name}:${s.outcome}${s.failure ? `(${s.failure.class}: ${s.failure.message})` : ''}`,
  );
  return `${result.journey} ${result.outcome} [${steps.join(', ')}]`;
}

/** Fixtures for tests that run at once (`describe.concurrent`), on one shared browser. */
export interface FixtureLanes {
  /**
   * Runs `test` with a fixture no other test holds, so the faults it sets reach its own runs
   * only; clears them before the next test gets the fixture. Waits while all are in use.
   */
  use<T>(test: (fx: JourneyFixture) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export async function startFixtureLanes(count: number, options: SandboxOptions = {}): Promise<FixtureLanes> {
  const pool = testPool();
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => startJourneyFixture(options, pool)),
  );
  const all = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.allSettled(all.map((fx) => fx.stop()));
    await pool.close();
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed !== undefined) {
    await stop();
    throw failed.reason;
  }
  const free = [...all];
  const waiting: ((fx: JourneyFixture) => void)[] = [];
  const acquire = (): Promise<JourneyFixture> => {
    const fx = free.pop();
    return fx !== undefined ? Promise.resolve(fx) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (fx: JourneyFixture): void => {
    const next = waiting.shift();
    if (next !== undefined) next(fx);
    else free.push(fx);
  };
  return {
    async use(test) {
      const fx = await acquire();
      try {
        return await test(fx);
      } finally {
        try {
          await fx.clearFaults();
        } finally {
          release(fx);
        }
      }
    },
    stop,
  };
}
