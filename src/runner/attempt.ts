import { performance } from 'node:perf_hooks';
import type { BrowserContext, Page } from '@playwright/test';
import type { Logger } from 'pino';
import { PSEUDO_STEPS } from '../journey/outcomes.js';
import type { Account, FailureInfo } from '../journey/types.js';
import { Redactor } from '../log.js';
import {
  attemptOutcomeOf,
  BrowserDisconnectedError,
  classify,
  PageCrashError,
  RunTimeoutError,
  ShutdownAbortError,
} from './classify.js';
import { ContextObserver, cookieSecrets, screenshot, stopTracing } from './evidence.js';
import { asError, errorText, originOf, secretsOf, toMessage } from './sanitize.js';
import {
  annotate,
  AttemptState,
  bestEffort,
  raceAbort,
  runCleanups,
  StepTracker,
  type Cleanup,
} from './steps.js';
import { AttemptTrace } from './trace-context.js';
import { callHook, type AttemptInput, type AttemptReport } from './types.js';

const CONTEXT_CLOSE_TIMEOUT_MS = 5_000;

/** Bounds every browser action and navigation of the context by `ms`. */
function setActionTimeout(context: BrowserContext | undefined, ms: number): void {
  context?.setDefaultTimeout(ms);
  context?.setDefaultNavigationTimeout(ms);
}

/** Closes a context, bounded: a wedged browser must not hold the run. */
async function closeContext(context: BrowserContext): Promise<void> {
  await bestEffort(() => context.close(), CONTEXT_CLOSE_TIMEOUT_MS);
}

const MAX_CLEANUP_MS = 30_000;
const TRACE_START_TIMEOUT_MS = 10_000;
const CREDENTIALS_TIMEOUT_MS = 2_000;
/** One attempt: account, fresh context, the journey bounded in time, evidence, cleanups. */
export function runAttempt(input: AttemptInput): Promise<AttemptReport> {
  return new Attempt(input).run();
}

class Attempt {
  readonly #in: AttemptInput;
  readonly #log: Logger;
  readonly #state = new AttemptState();
  readonly #tracker: StepTracker;
  readonly #cleanups: Cleanup[] = [];
  #redactor: Redactor;
  #phase: string = PSEUDO_STEPS.account;
  #account: Account | undefined;
  #context: BrowserContext | undefined;
  #page: Page | undefined;
  #observer: ContextObserver | undefined;
  #browserGone = false;
  #closedByUs = false;
  #journeyMs = 0;

  constructor(input: AttemptInput) {
    const { journey, target, options, runId, attempt } = input;
    this.#in = input;
    this.#redactor = new Redactor(secretsOf(undefined, target));
    this.#log = options.log.child({ journey: journey.name, target: target.name, runId, attempt });
    const info = { runId, attempt };
    this.#tracker = new StepTracker({
      state: this.#state,
      declared: journey.steps,
      defaultTimeoutMs: journey.stepTimeoutMs,
      classify: (error, since) => this.#classify(error, since),
      setActionTimeout: (ms) => setActionTimeout(this.#context, ms),
      onStart: (step) => callHook(options.hooks, 'onStepStart', { ...info, step }, this.#log),
      onEnd: (step) => callHook(options.hooks, 'onStepEnd', { ...info, step }, this.#log),
      traceGroup: {
        start: async (step) => {
          if (input.tracePath) await this.#context?.tracing.group(step);
        },
        end: async () => {
          if (input.tracePath) await this.#context?.tracing.groupEnd();
        },
      },
    });
  }

  async run(): Promise<AttemptReport> {
    const { journey, target, options, runId, attempt } = this.#in;
    callHook(
      options.hooks,
      'onAttemptStart',
      { journey: journey.name, target: target.name, runId, attempt },
      this.#log,
    );
    // The journey's timeout bounds the journey, from when its code starts. The prober's set-up
    // (account, context, page) has a bound of the same length; a busy machine that spends it is
    // the prober's failure (`browser`, outside the SLI), never a timeout of the first step.
    const timeout = (): void => {
      if (this.#phase === PSEUDO_STEPS.journey && this.#page === undefined) {
        const message = `the browser took over ${journey.timeoutMs} ms to open a context and page (before the journey began)`;
        this.#endHere(new RunTimeoutError(journey.timeoutMs), { class: 'browser', message });
      } else this.#endHere(new RunTimeoutError(journey.timeoutMs));
    };
    let timer = setTimeout(timeout, journey.timeoutMs);
    options.watch?.armed?.(journey.timeoutMs);
    // In a journey worker: journey code that throws outside any await ends the attempt.
    const fault = (e: Error): void =>
      this.#endHere(e, { class: 'script', message: this.#redactor.redact(e.message) });
    options.watch?.onFault?.(fault);
    const onShutdown = (): void =>
      this.#endHere(new ShutdownAbortError(), { class: 'timeout', message: 'run aborted by shutdown' });
    if (options.signal?.aborted) onShutdown();
    options.signal?.addEventListener('abort', onShutdown, { once: true });
    try {
      await this.#getAccount();
      this.#phase = PSEUDO_STEPS.journey;
      if (this.#account) await this.#openBrowser();
      clearTimeout(timer);
      timer = setTimeout(timeout, journey.timeoutMs);
      options.watch?.armed?.(journey.timeoutMs);
      if (this.#account && this.#page) await this.#runJourney(this.#account, this.#page);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onShutdown);
    }
    return this.#finish().finally(() => options.watch?.onFault?.(undefined));
  }

  #classify(error: unknown, since: number): FailureInfo {
    return classify(error, {
      http: this.#observer?.httpSince(since) ?? [],
      targetOrigin: originOf(this.#in.target.baseUrl),
      browserGone: this.#browserGone,
      redact: (t) => this.#redactor.redact(t),
    });
  }

  /** Ends the attempt on the running step (or the current phase) unless it already ended. */
  #endHere(cause: Error, failure?: FailureInfo): void {
    const running = this.#tracker.running;
    const info = failure ?? this.#classify(cause, running?.start ?? this.#tracker.lastEnd);
    this.#state.end({ step: running?.name ?? this.#phase, ...info }, cause);
  }

  async #getAccount(): Promise<void> {
    const { journey, target, options } = this.#in;
    try {
      const account = await raceAbort(
        Promise.resolve().then(() => options.accounts(journey, target)),
        this.#state.signal,
      );
      this.#account = account;
      this.#redactor = new Redactor(secretsOf(account, target));
    } catch (error) {
      const message = toMessage(`could not get an account: ${errorText(error)}`);
      this.#state.end({ step: PSEUDO_STEPS.account, class: 'precondition', message }, asError(error));
    }
  }

  async #openBrowser(): Promise<void> {
    const { journey, target, options, runId, attempt, tracePath } = this.#in;
    const restored = this.#account?.session?.restored;
    const pending = options.browser.newContext({
      viewport: { width: 1280, height: 800 },
      ignoreHTTPSErrors: false,
      // The target's User-Agent (GitLab.com allow-lists its QA's) and the account's kept session.
      ...(target.userAgent === undefined ? {} : { userAgent: target.userAgent }),
      ...(restored === undefined ? {} : { storageState: restored }),
    });
    let context: BrowserContext;
    try {
      context = await raceAbort(pending, this.#state.signal);
    } catch (error) {
      // The attempt ended while the context was opening: close it when it arrives.
      pending.then(closeContext).catch(() => undefined);
      const message = toMessage(`could not open a browser context: ${errorText(error)}`);
      this.#state.end({ step: PSEUDO_STEPS.journey, class: 'browser', message }, asError(error));
      this.#log.warn({ err: message }, 'no browser context');
      return;
    }
    setActionTimeout(context, journey.stepTimeoutMs);
    this.#context = context;
    context.on('close', () => {
      if (this.#closedByUs) return;
      this.#browserGone = true;
      this.#endHere(new BrowserDisconnectedError());
    });
    // A tab that crashes while the browser stays up ends the attempt at once: it is the page's failure.
    context.on('page', (page) =>
      page.on('crash', () => {
        if (!this.#browserGone) this.#endHere(new PageCrashError());
      }),
    );
    this.#observer = new ContextObserver(context, options.secretQueryParams);
    if (tracePath) {
      const title = `${journey.name} on ${target.name} (${runId} #${attempt})`;
      // No screencast: its frames cannot be masked (card fields, identity; docs/evidence.md) and
      // cost ~30 %; DOM snapshots (~8 %, scrubbed) are what the viewer shows per action.
      await bestEffort(
        () => context.tracing.start({ screenshots: false, snapshots: true, title }),
        TRACE_START_TIMEOUT_MS,
      );
    }
    try {
      // Tagged (X-Synthetic-Journey, traceparent) so the target can tell probe traffic apart.
      const trace = new AttemptTrace(this.#in, () => this.#tracker.running);
      await raceAbort(trace.install(context), this.#state.signal);
      this.#page = await raceAbort(context.newPage(), this.#state.signal);
    } catch (error) {
      this.#endHere(asError(error), {
        class: 'browser',
        message: toMessage(`could not open a page: ${errorText(error)}`),
      });
    }
  }

  async #runJourney(account: Account, page: Page): Promise<void> {
    const { journey, target, runId, annotations } = this.#in;
    const start = performance.now();
    const run = Promise.resolve().then(() =>
      journey.run({
        page,
        target,
        account,
        runId,
        log: this.#log,
        step: this.#tracker.step,
        safeMode: journey.mutates && !target.allowPurchases,
        signal: this.#state.signal,
        annotate: (key, value) => annotate(annotations, key, value, this.#log),
        cleanup: (name, fn) => void this.#cleanups.push({ name, fn }),
      }),
    );
    try {
      await raceAbort(run, this.#state.signal);
    } catch (error) {
      // Errors from inside a step ended the attempt already; this one came from between steps.
      const info = this.#classify(error, this.#tracker.lastEnd);
      this.#state.end({ step: PSEUDO_STEPS.journey, ...info }, asError(error));
    }
    this.#journeyMs = performance.now() - start;
  }

  /** Evidence first (the page as it failed), then cleanups, then the context closes. */
  async #finish(): Promise<AttemptReport> {
    const { journey, options, runId, attempt, collectEvidence, tracePath, keepTraceOnSuccess } = this.#in;
    const failed = this.#state.ended;
    const alive = this.#context !== undefined && !this.#browserGone;
    const shot = failed && collectEvidence && alive && this.#page ? await screenshot(this.#page) : undefined;
    const cleanupMs = Math.min(journey.stepTimeoutMs, MAX_CLEANUP_MS);
    setActionTimeout(this.#context, cleanupMs);
    const cleanupFailures = await runCleanups(this.#cleanups, cleanupMs, this.#log, (t) =>
      this.#redactor.redact(t),
    );
    const secrets = [
      ...secretsOf(this.#account, this.#in.target),
      ...(alive ? await cookieSecrets(this.#context!) : []),
      ...((await this.#observer?.credentials(CREDENTIALS_TIMEOUT_MS)) ?? []),
    ].filter((s) => s !== '');
    const keptTrace =
      alive && tracePath
        ? await stopTracing(this.#context!, failed || keepTraceOnSuccess, tracePath)
        : undefined;
    this.#closedByUs = true;
    if (this.#context) await closeContext(this.#context);

    const failure = this.#state.failure;
    const outcome = attemptOutcomeOf(failure?.class);
    callHook(options.hooks, 'onAttemptEnd', { runId, attempt, outcome }, this.#log);
    this.#log.debug({ outcome, step: failure?.step, class: failure?.class }, 'attempt finished');
    const observer = this.#observer;
    return {
      outcome,
      journeyMs: this.#journeyMs,
      steps: this.#tracker.results(),
      failure,
      evidence:
        collectEvidence && observer
          ? {
              screenshot: shot,
              tracePath: keptTrace,
              consoleLines: observer.consoleLines,
              requests: observer.requests,
            }
          : undefined,
      secrets,
      cleanupFailures,
      ...(this.#account?.session ? { signIns: { ...this.#account.session.signIns } } : {}),
      aborted: this.#state.signal.reason instanceof ShutdownAbortError,
    };
  }
}
