import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Level } from 'pino';
import { PSEUDO_STEPS, type AttemptOutcome } from '../journey/outcomes.js';
import type { Account, Journey, RunResult, StepResult, TargetInfo } from '../journey/types.js';
import { Redactor } from '../log.js';
import { pathSegment, privateTraceDir } from './artifacts.js';
import type { BrowserPool } from './browser.js';
import { errorResult, logResult } from './run-journey.js';
import { errorText, toMessage } from './sanitize.js';
import {
  callAccount,
  giveBack,
  startRun,
  takeWorker,
  toWire,
  type AccountCall,
  type ToMain,
  type Spawned,
  type ToWorker,
} from './isolation-wire.js';
import { callHook, type BrowserLease, type RunHooks, type RunOptions } from './types.js';

/** A worker whose event loop has not turned this long, past the run's own deadline, is stopped. */
export const STALL_MS = 3_000;
const WATCH_EVERY_MS = 500;
/** After an attempt: cleanups (30 s at most), the evidence and the next attempt's set-up. */
const AFTER_ATTEMPT_MS = 90_000;
/** A fresh worker's start (loading Playwright on a busy machine takes seconds). */
const WORKER_START_MS = 60_000;

/**
 * runJourney() for a journey loaded from a file, in a worker thread (reused after clean runs) connected to
 * the pool's browser server: the same result, step hooks and log lines as in this thread, but
 * journey code that throws outside an await, leaves a rejection, calls process.exit or never
 * yields ends its run as `error/script` — with the step it was in — and never this process.
 */
export function runIsolated(
  journey: Journey & { readonly file: string },
  target: TargetInfo,
  options: RunOptions & { readonly runId: string },
  pool: BrowserPool,
): Promise<RunResult> {
  return new IsolatedRun(journey, target, options, pool).result;
}

class IsolatedRun {
  readonly result: Promise<RunResult>;
  readonly #journey: Journey & { readonly file: string };
  readonly #target: TargetInfo;
  readonly #options: RunOptions & { readonly runId: string };
  readonly #pool: BrowserPool;
  readonly #spawned: Spawned;
  readonly #accounts = new Map<number, Account>();
  readonly #leases: BrowserLease[] = [];
  readonly #secrets: string[] = [];
  readonly #startedAt = new Date().toISOString();
  readonly #t0 = performance.now();
  #settle: (result: RunResult) => void = () => undefined;
  #done = false;
  #lastBeat = performance.now();
  #deadline = Infinity;
  /** However often the worker beats: past this the run is over (every attempt's bound spent). */
  readonly #ceiling: number;
  #started = 0;
  #attempts: AttemptOutcome[] = [];
  #steps: StepResult[] = [];
  #running: { name: string; since: number } | undefined;

  constructor(
    journey: Journey & { readonly file: string },
    target: TargetInfo,
    options: RunOptions & { readonly runId: string },
    pool: BrowserPool,
  ) {
    this.#journey = journey;
    this.#target = target;
    this.#options = options;
    this.#pool = pool;
    this.#spawned = takeWorker(journey.file);
    const tries = 1 + (Number.isFinite(options.retries) ? Math.max(0, Math.floor(options.retries!)) : 0);
    this.#ceiling = this.#t0 + WORKER_START_MS + tries * (journey.timeoutMs + AFTER_ATTEMPT_MS);
    this.result = new Promise((resolve) => (this.#settle = resolve));
    const { worker } = this.#spawned;
    worker.ref();
    const onMessage = (message: ToMain): void => this.#onMessage(message);
    const onError = (error: Error): void => this.#fail(`the journey's worker failed: ${errorText(error)}`);
    const onExit = (code: number): void =>
      this.#fail(`the journey's worker ended (exit code ${code}) before its run did`);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    void this.result.finally(() =>
      worker.off('message', onMessage).off('error', onError).off('exit', onExit),
    );
    const watch = setInterval(() => this.#watch(), WATCH_EVERY_MS);
    void this.result.finally(() => clearInterval(watch));
    const abort = (): void => {
      this.#post({ type: 'abort' });
      this.#deadline = Math.min(this.#deadline, performance.now());
    };
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    void this.result.finally(() => options.signal?.removeEventListener('abort', abort));
    this.#post(startRun(journey, target, options, options.log.level));
  }

  #post(message: ToWorker): void {
    if (!this.#done && !this.#spawned.exited) this.#spawned.worker.postMessage(message);
  }

  #onMessage(message: ToMain): void {
    const now = performance.now();
    this.#lastBeat = now;
    switch (message.type) {
      case 'ready':
      case 'beat':
      case 'idle-fault': // not while it runs: a fault now is the run's (fault() in the worker)
        return;
      case 'log':
        return this.#relog(message.line);
      case 'armed':
        this.#deadline = now + message.ms;
        return;
      case 'hook':
        return this.#onHook(message.name, message.info);
      case 'need-account':
        return void this.#account(message.id);
      case 'need-endpoint':
        return void this.#endpoint(message.id);
      case 'call':
        return this.#call(message);
      case 'ask': {
        const exceeded = this.#accounts.get(message.account)?.cardBudget?.exceededByProber() === true;
        Atomics.store(this.#spawned.answer, 0, exceeded ? 1 : 2);
        Atomics.notify(this.#spawned.answer, 0);
        return;
      }
      case 'load-error':
        return this.#fail(message.message);
      case 'result': {
        const result = this.#withLateFaults(message.result, message.lateFaults);
        // After a bug of journey code (a throw outside an await, process.exit…) what it left is suspect: a fresh worker next.
        return this.#finish(result, result.failure?.class !== 'script');
      }
    }
  }

  /** The sinks get the worker's step hooks as they come; the run's progress is kept for #fail. */
  #onHook(name: keyof RunHooks, info: object): void {
    const now = performance.now();
    if (name === 'onAttemptStart') {
      this.#started++;
      this.#steps = [];
      this.#running = undefined;
    } else if (name === 'onStepStart') {
      this.#running = { name: (info as { step: string }).step, since: now };
    } else if (name === 'onStepEnd') {
      this.#running = undefined;
      this.#steps.push((info as { step: StepResult }).step);
    } else {
      this.#attempts.push((info as { outcome: AttemptOutcome }).outcome);
      this.#deadline = now + AFTER_ATTEMPT_MS;
    }
    callHook(this.#options.hooks, name, info as never, this.#options.log);
  }

  /** A line the worker's runner logged, logged here (where redaction and the destination are). */
  #relog(line: string): void {
    try {
      const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string };
      const label = (this.#options.log.levels.labels[level] ?? 'info') as Level;
      this.#options.log[label](fields, msg ?? '');
    } catch {
      /* not a log line */
    }
  }

  async #account(id: number): Promise<void> {
    let reply: ToWorker;
    try {
      const account = await this.#options.accounts(this.#journey, this.#target);
      this.#accounts.set(id, account);
      reply = { type: 'account', id, account: toWire(id, account, this.#secrets) };
    } catch (error) {
      reply = { type: 'account', id, error: errorText(error) };
    }
    this.#post(reply);
  }

  #call({ account: id, method, state }: AccountCall): void {
    callAccount(this.#accounts.get(id), method, state);
  }

  async #endpoint(id: number): Promise<void> {
    try {
      const lease = await this.#pool.lease();
      if (this.#done) return lease.release();
      this.#leases.push(lease);
      const { wsEndpoint, slowMo } = lease;
      this.#post({ type: 'endpoint', id, wsEndpoint, ...(slowMo === undefined ? {} : { slowMo }) });
    } catch (error) {
      this.#post({ type: 'endpoint', id, wsEndpoint: '', error: errorText(error) });
    }
  }

  /** A worker that stopped turning past its deadline (or at shutdown) is stopped here. */
  #watch(): void {
    const now = performance.now();
    if (now >= this.#ceiling) {
      this.#fail(
        `the journey's worker still had no result ${Math.round((now - this.#t0) / 1000)} s after its run began, past every attempt's bound: it was stopped`,
      );
      return;
    }
    if (now < this.#deadline || now - this.#lastBeat < STALL_MS) return;
    const where = this.#running ? `in step "${this.#running.name}"` : 'outside any step';
    this.#fail(
      `the journey's code did not yield for ${Math.round((now - this.#lastBeat) / 1000)} s ${where} (a synchronous loop?): its worker was stopped ${this.#options.signal?.aborted ? 'at shutdown' : "at the run's timeout"}`,
    );
  }

  /** The run ended without the worker's result: a result from what the main thread saw. */
  #fail(reason: string): void {
    if (this.#done) return;
    const redactor = new Redactor(this.#secrets);
    const message = toMessage(reason, (t) => redactor.redact(t));
    const running = this.#running;
    const failure = { step: running?.name ?? PSEUDO_STEPS.journey, class: 'script' as const, message };
    const sessions = [...this.#accounts.values()].flatMap((a) => (a.session ? [a.session.signIns] : []));
    const sum = (k: 'success' | 'failure'): number => sessions.reduce((n, s) => n + s[k], 0);
    const { runId } = this.#options;
    const base = {
      runId,
      journey: this.#journey.name,
      target: this.#target.name,
      startedAt: this.#startedAt,
    };
    const result = errorResult(this.#journey, this.#target, base, this.#t0, failure, {
      attempts: Math.max(1, this.#started),
      attemptOutcomes: [
        ...this.#attempts,
        ...(this.#attempts.length < this.#started ? ['error' as const] : []),
      ],
      steps: [
        ...this.#steps,
        ...(running
          ? [
              {
                name: running.name,
                outcome: 'error' as const,
                durationMs: performance.now() - running.since,
                failure,
              },
            ]
          : []),
      ],
      ...(sessions.length === 0 ? {} : { signIns: { success: sum('success'), failure: sum('failure') } }),
    });
    logResult(this.#options, result);
    // The worker's raw traces (plain passwords) will never be scrubbed now: they go.
    const raw = Array.from({ length: 10 }, (_, i) =>
      join(privateTraceDir(), `${pathSegment(runId)}-${i + 1}.zip`),
    );
    void Promise.all(raw.map((p) => rm(p, { force: true }))).catch(() => undefined);
    this.#finish(result, false);
  }

  /** A fault of journey code after its last attempt makes a passing run `error/script`: the code has a bug. */
  #withLateFaults(result: RunResult, faults: readonly string[]): RunResult {
    const first = faults[0];
    if (first === undefined || result.outcome === 'failure' || result.outcome === 'error') return result;
    const redactor = new Redactor(this.#secrets);
    const message = toMessage(first, (t) => redactor.redact(t));
    this.#options.log.warn({ runId: result.runId, err: message }, 'journey code failed after its attempt');
    const step = result.steps.at(-1)?.name ?? PSEUDO_STEPS.journey;
    return { ...result, outcome: 'error', failure: { step, class: 'script', message } };
  }

  /** `clean`: the worker gave its result and journey code did not fail in it, so it may take the next run. */
  #finish(result: RunResult, clean: boolean): void {
    if (this.#done) return;
    this.#done = true;
    for (const lease of this.#leases) lease.release();
    if (clean && !this.#options.signal?.aborted) giveBack(this.#spawned, this.#journey.file);
    else void this.#spawned.worker.terminate().catch(() => undefined);
    this.#settle(result);
  }
}
