import type { BrowserContext, Page } from '@playwright/test';
import type { Logger } from 'pino';
import type { FailureClass, Outcome, StepOutcome } from './outcomes.js';
import type { Secret } from './secret.js';

/** The state of the account a journey needs (sandbox accounts are made in this state). */
export const ACCOUNT_STATES = ['none', 'active', 'renewable'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];

/** A signed-in browser session (cookies and local storage), as Playwright saves it. */
export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/**
 * The account's kept session: restored into the run's browser context when there is one,
 * replaced after a fresh sign-in, dropped when the portal or GitLab.com says it expired.
 * Fresh sign-ins are counted (`synthetic_journey_sign_ins_total`).
 */
export interface AccountSession {
  /** The session the run's context was opened with; undefined: the run must sign in. */
  readonly restored: StorageState | undefined;
  /** Fresh sign-ins during this run so far. */
  readonly signIns: { readonly success: number; readonly failure: number };
  /** A fresh sign-in worked: keep its session for later runs of the account. */
  signedIn(state: StorageState): void;
  /** A fresh sign-in was refused (counted as a failed sign-in). */
  signInFailed(): void;
  /** The kept session no longer works (redirected to sign-in): forget it. */
  expired(): void;
}

/**
 * The account's card-submission budget (the payment provider refuses a card form sent 3 times
 * a minute or 6 times an hour per account): journeys record each submission, and ask it whose
 * doing an Attempt_Exceed_Limitation was.
 */
export interface CardBudgetView {
  /** A card form was sent to the provider. */
  submitted(): void;
  /** Whether the prober's own submissions on this account exceed the provider's limit. */
  exceededByProber(): boolean;
}

/** Credentials for one run: the only source of secrets a journey sees. */
export interface Account {
  readonly email: string;
  /** GitLab.com username: what sign-in types into "Username or primary email" when set (else the email). */
  readonly username?: string;
  readonly password: Secret;
  /** TOTP secret (base32) of an account with two-factor authentication. */
  readonly otpSecret?: Secret;
  /** Numeric GitLab.com group id the run works on (a free group for a purchase). */
  readonly groupId?: string;
  /** Gives `groupId` back to the account's pool of free groups (a purchase's cleanup calls it). */
  readonly releaseGroup?: () => void;
  /** The subscription the account holds, when the target knows it (sandbox accounts). */
  readonly subscriptionId?: string;
  /** The account's kept session, when the command keeps sessions. */
  readonly session?: AccountSession;
  readonly cardBudget?: CardBudgetView;
}

/** A payment card's secret parts; holder and expiry are plain params. */
export interface CardSecrets {
  readonly number: Secret;
  readonly cvv: Secret;
}

/** What a journey sees of the target it runs against. */
export interface TargetInfo {
  readonly name: string;
  /** The only source of URLs: journeys build every URL from it. */
  readonly baseUrl: string;
  /** false: mutating journeys run in safe mode and stop before the final confirmation. */
  readonly allowPurchases: boolean;
  /** Free-form, non-secret parameters of the target (card holder and expiry, plan ids, prices…). */
  readonly params: Readonly<Record<string, string>>;
  /** The payment card to type, from secrets (absent: the target names none). */
  readonly card?: CardSecrets;
  /** GitLab.com's origin the portal signs in through (the OAuth provider, groups, billing pages). */
  readonly gitlabUrl?: string;
  /** The User-Agent the run's browser sends (GitLab.com allow-lists its QA's). */
  readonly userAgent?: string;
}

export interface StepOptions {
  /** This step's own timeout; default: the journey's `stepTimeoutMs`. */
  readonly timeoutMs?: number;
}

/**
 * Runs one named step. `S` is the union of the names declared in `steps`, so a typo in
 * `step('…')` is a compile error; without `steps`, any string.
 */
export type StepFn<S extends string = string> = <T>(
  name: S,
  body: () => Promise<T>,
  options?: StepOptions,
) => Promise<T>;

/** What `run()` of a journey is handed, once per attempt. */
export interface RunContext<S extends string = string> {
  readonly page: Page;
  readonly target: TargetInfo;
  readonly step: StepFn<S>;
  readonly account: Account;
  readonly log: Logger;
  readonly runId: string;
  /** true when the journey mutates and the target forbids purchases: stop before confirming. */
  readonly safeMode: boolean;
  /** Aborted when the run times out or the prober shuts down. */
  readonly signal: AbortSignal;
  /** Record a fact about this run in its result (e.g. how often a confirm was retried). */
  annotate(key: string, value: string | number | boolean): void;
  /** Register cleanup of something the run created; runs after the journey, even on failure. */
  cleanup(name: string, fn: () => Promise<void>): void;
}

/**
 * A parameter a journey reads from its target's `params` (all strings there), declared so
 * that a target missing it, or giving a bad value, is a configuration error found before any
 * browser starts (exit 2, naming the target and the parameter), not a run that breaks.
 * Without `default` or `optional`, it is required.
 */
export type ParamSpec =
  | {
      readonly type: 'text';
      readonly default?: string;
      readonly optional?: boolean;
      readonly description?: string;
    }
  | {
      readonly type: 'int';
      readonly min: number;
      readonly max: number;
      readonly default?: number;
      readonly optional?: boolean;
      readonly description?: string;
    };

/** A journey's parameters by name. */
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/**
 * What a journey file passes to `defineJourney()` (DESIGN.md "Journey authoring API").
 * `S`: the step names declared in `steps`, inferred by `defineJourney`.
 */
export interface JourneyDefinition<S extends string = string> {
  /** Stable kebab-case id of at most 64 characters: a metric label. */
  readonly name: string;
  readonly description: string;
  readonly tags?: readonly string[];
  /** Bound on the whole run (all steps of one attempt). Default 120 s. */
  readonly timeoutMs?: number;
  /** Default bound on each step. Default 30 s. */
  readonly stepTimeoutMs?: number;
  /** A run that passes slower than this is `degraded`. */
  readonly latencyBudgetMs?: number;
  /** It creates orders: see safe mode. */
  readonly mutates?: boolean;
  /** The account state the journey needs; default `active`. */
  readonly accountState?: AccountState;
  /**
   * Card forms one run sends to the payment provider (default 0): the scheduler skips a run
   * (`payment_budget`) that would take its account over the provider's limit.
   */
  readonly cardSubmissions?: number;
  /** Step names, in order, when known up front: `list` shows them, results mark unreached ones skipped. */
  readonly steps?: readonly S[];
  /** The target parameters it reads, checked against each target before any run. */
  readonly params?: ParamSpecs;
  run(context: RunContext<S>): Promise<void>;
}

/** A validated journey, frozen. */
export interface Journey extends JourneyDefinition {
  readonly tags: readonly string[];
  readonly timeoutMs: number;
  readonly stepTimeoutMs: number;
  readonly mutates: boolean;
  readonly accountState: AccountState;
  readonly cardSubmissions: number;
  /** Where it was loaded from, when loaded from a file. */
  readonly file?: string;
}

export interface FailureInfo {
  readonly class: FailureClass;
  /** One line, redacted, bounded in length. */
  readonly message: string;
}

export interface StepResult {
  readonly name: string;
  readonly outcome: StepOutcome;
  readonly durationMs: number;
  readonly failure?: FailureInfo;
}

export interface RunArtifacts {
  readonly dir: string;
  readonly screenshot?: string;
  readonly trace?: string;
  readonly console?: string;
  readonly requests?: string;
}

/** One run of one journey on one target: what every exporter sees (the `--json` line). */
export interface RunResult {
  readonly runId: string;
  /**
   * The run's W3C trace id (32 hex digits): every request to the target's own origins carried
   * it in `traceparent`, so it finds the run in the portal's backend traces. Absent only from
   * results written before it existed.
   */
  readonly traceId?: string;
  readonly journey: string;
  readonly target: string;
  readonly outcome: Outcome;
  /** ISO 8601, wall clock. */
  readonly startedAt: string;
  /** Monotonic clock, whole run including retries. */
  readonly durationMs: number;
  readonly attempts: number;
  /** Outcome of each attempt, in order. */
  readonly attemptOutcomes: readonly ('success' | 'failure' | 'error')[];
  /** Steps of the last attempt. */
  readonly steps: readonly StepResult[];
  readonly failure?: FailureInfo & { readonly step: string };
  readonly artifacts?: RunArtifacts;
  readonly safeMode: boolean;
  readonly cleanupFailures: number;
  readonly annotations: Readonly<Record<string, string | number | boolean>>;
  /** Fresh sign-ins during the run (reused sessions not counted); absent when none were tried. */
  readonly signIns?: { success: number; failure: number };
}
