import { performance } from 'node:perf_hooks';
import type { BrowserContext, Page } from '@playwright/test';
import type { Logger } from 'pino';
import { PSEUDO_STEPS } from '../journey/outcomes.js';
import type { Account, Journey, RunContext, StepResult, TargetInfo } from '../journey/types.js';
import { AttemptState, type AttemptFailure } from './attempt-state.js';
import { classify } from './classify.js';
import { runCleanups, type Cleanup } from './cleanups.js';
import { BrowserDisconnectedError, RunTimeoutError, ShutdownAbortError } from './errors.js';
import { cookieSecrets, screenshot, stopTracing, type Evidence } from './evidence.js';
import { callHook } from './hooks.js';
import { ContextObserver } from './observer.js';
import { attemptOutcomeOf, type AttemptVerdict } from './outcome.js';
import { Redactor } from './redact.js';
import { errorText, toMessage } from './sanitize.js';
import { StepTracker } from './steps.js';
import { bestEffort, raceAbort } from './timing.js';
import type { RunOptions } from './types.js';

export interface AttemptInput {
  readonly journey: Journey;
  readonly target: TargetInfo;
  readonly options: RunOptions;
  readonly runId: string;
  readonly attempt: number;
  /** Run-level annotations, shared by all attempts. */
  readonly annotations: Record<string, string | number | boolean>;
  /** Keep a screenshot and the trace when the attempt fails (an artifacts directory is set). */
  readonly collectEvidence: boolean;
  /** Where the raw trace goes when kept; undefined: no tracing. */
  readonly tracePath?: string;
  readonly keepTraceOnSuccess: boolean;
}

export interface AttemptReport extends AttemptVerdict {
  readonly steps: readonly StepResult[];
  readonly failure?: AttemptFailure;
  readonly evidence?: Evidence;
  /** The password and the context's cookie values: scrubbed from every artifact. */
  readonly secrets: readonly string[];
  readonly cleanupFailures: number;
  /** Ended by RunOptions.signal (shutdown): no retry follows. */
  readonly aborted: boolean;
}

const CONTEXT_CLOSE_TIMEOUT_MS = 5_000;
const MAX_CLEANUP_MS = 30_000;

/** One attempt: account, fresh context, the journey bounded in time, evidence, cleanups. */
export async function runAttempt(input: AttemptInput): Promise<AttemptReport> {
  const { journey, target, options, runId, attempt } = input;
  const log: Logger = options.log.child({ journey: journey.name, target: target.name, runId, attempt });
  const state = new AttemptState();
  const attemptInfo = { runId, attempt };
  const targetOrigin = originOf(target.baseUrl);
  let redactor = new Redactor([]);
  let observer: ContextObserver | undefined;
  let context: BrowserContext | undefined;
  let browserGone = false;
  let closedByUs = false;
  let phase: string = PSEUDO_STEPS.account;
  const classifyAt = (error: unknown, since: number) =>
    classify(error, {
      http: observer?.httpSince(since) ?? [],
      targetOrigin,
      browserGone,
      redact: (t) => redactor.redact(t),
    });
  const tracker = new StepTracker({
    state,
    declared: journey.steps,
    defaultTimeoutMs: journey.stepTimeoutMs,
    classify: classifyAt,
    setActionTimeout: (ms) => setActionTimeout(context, ms),
    onStart: (step) => callHook(options.hooks, 'onStepStart', { ...attemptInfo, step }, log),
    onEnd: (step) => callHook(options.hooks, 'onStepEnd', { ...attemptInfo, step }, log),
  });
  const endHere = (cause: Error, failure?: Omit<AttemptFailure, 'step'>): void => {
    const running = tracker.running;
    const info = failure ?? classifyAt(cause, running?.start ?? tracker.lastEnd);
    state.end({ step: running?.name ?? phase, ...info }, cause);
  };

  callHook(
    options.hooks,
    'onAttemptStart',
    { journey: journey.name, target: target.name, ...attemptInfo },
    log,
  );
  const runTimer = setTimeout(() => endHere(new RunTimeoutError(journey.timeoutMs)), journey.timeoutMs);
  const onShutdown = (): void =>
    endHere(new ShutdownAbortError(), { class: 'timeout', message: 'run aborted by shutdown' });
  if (options.signal?.aborted) onShutdown();
  options.signal?.addEventListener('abort', onShutdown, { once: true });

  let account: Account | undefined;
  let page: Page | undefined;
  let journeyMs = 0;
  const cleanups: Cleanup[] = [];
  try {
    account = await raceAbort(
      Promise.resolve().then(() => options.accounts(journey, target)),
      state.signal,
    ).catch((error: unknown) => {
      const message = toMessage(`could not get an account: ${errorText(error)}`, (t) => redactor.redact(t));
      state.end({ step: PSEUDO_STEPS.account, class: 'precondition', message }, asError(error));
      return undefined;
    });
    phase = PSEUDO_STEPS.journey;
    if (account) redactor = new Redactor([account.password.reveal()]);
    if (account) context = await openContext(input, state, log);
    if (context) {
      context.on('close', () => {
        if (closedByUs) return;
        browserGone = true;
        endHere(new BrowserDisconnectedError());
      });
      observer = new ContextObserver(context);
      setActionTimeout(context, journey.stepTimeoutMs);
      if (input.tracePath) {
        const title = `${journey.name} on ${target.name} (${runId} #${attempt})`;
        await bestEffort(() => context!.tracing.start({ screenshots: true, snapshots: true, title }), 10_000);
      }
      page = await raceAbort(context.newPage(), state.signal).catch((error: unknown) => {
        endHere(asError(error), {
          class: 'browser',
          message: toMessage(`could not open a page: ${errorText(error)}`),
        });
        return undefined;
      });
    }
    if (account && page) {
      const ctx: RunContext = {
        page,
        target,
        account,
        log,
        runId,
        step: tracker.step,
        safeMode: journey.mutates && !target.allowPurchases,
        signal: state.signal,
        annotate: (key, value) => annotate(input.annotations, key, value, log),
        cleanup: (name, fn) => void cleanups.push({ name, fn }),
      };
      const start = performance.now();
      await raceAbort(
        Promise.resolve().then(() => journey.run(ctx)),
        state.signal,
      ).catch((error: unknown) => {
        if (!state.ended)
          state.end({ step: PSEUDO_STEPS.journey, ...classifyAt(error, tracker.lastEnd) }, asError(error));
      });
      journeyMs = performance.now() - start;
    }
  } finally {
    clearTimeout(runTimer);
    options.signal?.removeEventListener('abort', onShutdown);
  }

  const failed = state.ended;
  const shot = failed && input.collectEvidence && page && !browserGone ? await screenshot(page) : undefined;
  const cleanupMs = Math.min(journey.stepTimeoutMs, MAX_CLEANUP_MS);
  setActionTimeout(context, cleanupMs);
  const cleanupFailures = await runCleanups(cleanups, cleanupMs, log, (t) => redactor.redact(t));
  const secrets = [
    ...(account ? [account.password.reveal()] : []),
    ...(context && !browserGone ? await cookieSecrets(context) : []),
  ].filter((s) => s !== '');
  let tracePath: string | undefined;
  if (context && input.tracePath && !browserGone) {
    tracePath = await stopTracing(context, failed || input.keepTraceOnSuccess, input.tracePath);
  }
  closedByUs = true;
  if (context) await closeContext(context);

  const outcome = attemptOutcomeOf(state.failure?.class);
  callHook(options.hooks, 'onAttemptEnd', { ...attemptInfo, outcome }, log);
  log.debug({ outcome, step: state.failure?.step, class: state.failure?.class }, 'attempt finished');
  const evidence: Evidence | undefined =
    input.collectEvidence && observer
      ? { screenshot: shot, tracePath, consoleLines: observer.consoleLines, requests: observer.requests }
      : undefined;
  return {
    outcome,
    journeyMs,
    steps: tracker.results(),
    failure: state.failure,
    evidence,
    secrets,
    cleanupFailures,
    aborted: state.signal.reason instanceof ShutdownAbortError,
  };
}

async function closeContext(context: BrowserContext): Promise<void> {
  await bestEffort(() => context.close(), CONTEXT_CLOSE_TIMEOUT_MS);
}

/** A fresh context for the attempt; a failure ends the attempt as `browser`. */
async function openContext(
  input: AttemptInput,
  state: AttemptState,
  log: Logger,
): Promise<BrowserContext | undefined> {
  const pending = input.options.browser.newContext({
    extraHTTPHeaders: { 'X-Synthetic-Journey': `${input.journey.name}/${input.runId}` },
    viewport: { width: 1280, height: 800 },
    ignoreHTTPSErrors: false,
  });
  try {
    return await raceAbort(pending, state.signal);
  } catch (error) {
    // The attempt ended while the context was opening: close it when it arrives.
    pending.then(closeContext).catch(() => undefined);
    const message = toMessage(`could not open a browser context: ${errorText(error)}`);
    if (!state.ended) state.end({ step: PSEUDO_STEPS.journey, class: 'browser', message }, asError(error));
    log.warn({ err: message }, 'no browser context');
    return undefined;
  }
}

function setActionTimeout(context: BrowserContext | undefined, ms: number): void {
  context?.setDefaultTimeout(ms);
  context?.setDefaultNavigationTimeout(ms);
}

function annotate(
  to: Record<string, string | number | boolean>,
  key: unknown,
  value: unknown,
  log: Logger,
): void {
  const ok = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  if (typeof key !== 'string' || key === '' || !ok) {
    log.warn(
      { key: String(key) },
      'annotate(key, value) needs a non-empty key and a string, number or boolean',
    );
    return;
  }
  to[key] = value;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(errorText(error));
}
