import type { Logger } from 'pino';
import type { Account, Journey, RunResult, StepResult, TargetInfo } from '../journey/types.js';
import type { AttemptVerdict } from './classify.js';
import type { Evidence } from './evidence.js';
import type { AttemptFailure } from './steps.js';
import type { AttemptOutcome } from '../journey/outcomes.js';
import type { BrowserContext, BrowserContextOptions } from '@playwright/test';

/**
 * When a run records a Playwright trace (docs/evidence.md): `on-first-retry` (the default)
 * traces only the retry that confirms a failure, so a passing run pays no tracing.
 */
export const TRACE_POLICIES = ['on', 'off', 'retain-on-failure', 'on-first-retry'] as const;
/** The policy when neither the config nor `run --trace` sets one. */
export const DEFAULT_TRACE_POLICY = 'on-first-retry' satisfies TracePolicy;
export type TracePolicy = (typeof TRACE_POLICIES)[number];

/**
 * Gets the account for one attempt. Throwing (or rejecting) makes the attempt fail with
 * class `precondition` on the pseudo-step `account`.
 */
export type AccountProvider = (journey: Journey, target: TargetInfo) => Promise<Account>;

/** Optional hooks, called in order; a hook that throws is logged and ignored. */
export interface RunHooks {
  onAttemptStart?(info: {
    readonly journey: string;
    readonly target: string;
    readonly runId: string;
    readonly attempt: number;
  }): void;
  onStepStart?(info: { readonly runId: string; readonly attempt: number; readonly step: string }): void;
  onStepEnd?(info: { readonly runId: string; readonly attempt: number; readonly step: StepResult }): void;
  onAttemptEnd?(info: {
    readonly runId: string;
    readonly attempt: number;
    readonly outcome: AttemptOutcome;
  }): void;
}

/** Where a run's browser contexts come from: the BrowserPool, or a journey worker's connection to its server. */
export interface ContextSource {
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** A journey worker's hold on the pool's browser server: its endpoint, given back when the run ends. */
export interface BrowserLease {
  readonly wsEndpoint: string;
  /** The pool's `--slow-mo`, which a connection (the worker's) applies on its side. */
  readonly slowMo?: number;
  /** Once. */
  release(): void;
}

/**
 * What a journey worker tells the runner and hears from it (src/runner/isolation.ts): the
 * runner says when it arms a timer that journey code cannot stop, the worker reports a fault
 * of journey code (an uncaught exception, an unhandled rejection, process.exit) to the running attempt.
 */
export interface RunWatch {
  armed?(ms: number): void;
  onFault?(listener: ((error: Error) => void) | undefined): void;
}

export interface RunOptions {
  /** Where browser contexts come from (one browser per process). */
  readonly browser: ContextSource;
  /** Set in a journey worker. */
  readonly watch?: RunWatch;
  readonly accounts: AccountProvider;
  readonly log: Logger;
  /** Extra attempts after a failed one; a later pass makes the run `flaky`. Default 0. */
  readonly retries?: number;
  readonly trace?: TracePolicy;
  /** Root of the artifacts tree; nothing is written when absent. */
  readonly artifactsDir?: string;
  /**
   * Aborts the run (prober shutdown). An aborted run ends as outcome `error`, class
   * `timeout`, message naming the abort: it says nothing about the target, so it stays
   * out of the SLI.
   */
  readonly signal?: AbortSignal;
  readonly hooks?: RunHooks;
  /** Overrides the journey's budget: a passing run slower than this is `degraded`. */
  readonly latencyBudgetMs?: number;
  /**
   * Query parameters whose values are credentials, besides evidence.ts SECRET_QUERY_PARAMS
   * (`token`, `access_token`, `code`, `state`, `private_token`…): scrubbed from all evidence.
   */
  readonly secretQueryParams?: readonly string[];
  /** Given by the scheduler so a run can be announced before it starts; default random. */
  readonly runId?: string;
}

/** What one attempt is given by runJourney(). */
export interface AttemptInput {
  readonly journey: Journey;
  readonly target: TargetInfo;
  readonly options: RunOptions;
  readonly runId: string;
  /** The run's W3C trace id (trace-context.ts): one for all its attempts. */
  readonly traceId: string;
  readonly attempt: number;
  /** Run-level annotations, shared by all attempts. */
  readonly annotations: Record<string, string | number | boolean>;
  /** Keep a screenshot and the console/requests when the attempt fails (an artifacts directory is set). */
  readonly collectEvidence: boolean;
  /** Where the raw trace goes when kept; undefined: no tracing. */
  readonly tracePath?: string;
  readonly keepTraceOnSuccess: boolean;
}

/** What one attempt leaves: its verdict, steps, evidence and the secrets it saw. */
export interface AttemptReport extends AttemptVerdict {
  readonly steps: readonly StepResult[];
  readonly failure?: AttemptFailure;
  readonly evidence?: Evidence;
  /** The password, cookies, tokens and secret query values the attempt saw: scrubbed from every artifact. */
  readonly secrets: readonly string[];
  readonly cleanupFailures: number;
  /** Fresh sign-ins of the account's session during the attempt. */
  readonly signIns?: { readonly success: number; readonly failure: number };
  /** Ended by RunOptions.signal (shutdown): no retry follows. */
  readonly aborted: boolean;
}

export type { RunResult };

type HookInfo<K extends keyof RunHooks> = Parameters<NonNullable<RunHooks[K]>>[0];

/** Calls one hook; a hook that throws is logged and ignored (hooks are for live output only). */
export function callHook<K extends keyof RunHooks>(
  hooks: RunHooks | undefined,
  name: K,
  info: HookInfo<K>,
  log: Logger,
): void {
  const hook = hooks?.[name] as ((arg: HookInfo<K>) => unknown) | undefined;
  if (!hook) return;
  try {
    const returned = hook.call(hooks, info);
    if (returned instanceof Promise) returned.catch(() => undefined);
  } catch (error) {
    log.debug(
      { hook: name, err: error instanceof Error ? error.message : String(error) },
      'run hook threw; ignored',
    );
  }
}
