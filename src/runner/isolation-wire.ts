// What crosses the boundary between the main thread and a journey worker (src/runner/isolation.ts):
// the messages, and an account both ways — its secrets as plain strings in a message (never
// logged), its methods as calls back to the main thread, where the provider's state lives.
import { Worker } from 'node:worker_threads';
import { JourneyFailure } from '../journey/failure.js';
import { Secret } from '../journey/secret.js';
import type { Account, RunResult, StorageState, TargetInfo } from '../journey/types.js';
import { errorText } from './sanitize.js';
import { privateTraceDir } from './artifacts.js';
import type { RunHooks, TracePolicy } from './types.js';

/** What a worker is started with. */
export interface WorkerData {
  readonly traceDir: string;
  /** One Int32: the main thread's answer to a synchronous question (the card budget). */
  readonly answer: SharedArrayBuffer;
  /** The worker's own module (what isolation-boot.js imports). */
  readonly entry: string;
}

/** Everything one run needs that crosses the thread boundary (no function, no Secret: plain data). */
export interface StartRun {
  readonly type: 'run';
  readonly journeyFile: string;
  readonly journeyName: string;
  readonly target: TargetInfo;
  /** The target's card in plain text (TargetInfo's Secrets do not survive a message). */
  readonly card?: { readonly number: string; readonly cvv: string };
  readonly logLevel: string;
  readonly options: {
    readonly runId: string;
    readonly retries?: number;
    readonly trace?: TracePolicy;
    readonly artifactsDir?: string;
    readonly latencyBudgetMs?: number;
    readonly secretQueryParams?: readonly string[];
  };
}

/** The message that starts a run in a worker. */
export function startRun(
  journey: { readonly file: string; readonly name: string },
  target: TargetInfo,
  options: StartRun['options'],
  logLevel: string,
): StartRun {
  const { runId, retries, trace, artifactsDir, latencyBudgetMs, secretQueryParams } = options;
  return {
    type: 'run',
    journeyFile: journey.file,
    journeyName: journey.name,
    target: {
      name: target.name,
      baseUrl: target.baseUrl,
      allowPurchases: target.allowPurchases,
      params: { ...target.params },
      ...(target.gitlabUrl === undefined ? {} : { gitlabUrl: target.gitlabUrl }),
      ...(target.userAgent === undefined ? {} : { userAgent: target.userAgent }),
    },
    // Secrets cross as plain strings (a Secret's value is private) and are wrapped again there.
    ...(target.card === undefined
      ? {}
      : { card: { number: target.card.number.reveal(), cvv: target.card.cvv.reveal() } }),
    logLevel,
    options: { runId, retries, trace, artifactsDir, latencyBudgetMs, secretQueryParams },
  };
}

/** An account as it crosses to the worker: secrets as plain strings (a message is never logged). */
export interface WireAccount {
  readonly id: number;
  /** The account's fields throw this (a target without an account). */
  readonly missing?: string;
  readonly email?: string;
  readonly username?: string;
  readonly password?: string;
  readonly otpSecret?: string;
  readonly groupId?: string;
  readonly subscriptionId?: string;
  readonly releaseGroup: boolean;
  readonly cardBudget: boolean;
  readonly session?: { readonly restored: StorageState | undefined };
}

export interface AccountCall {
  readonly type: 'call';
  readonly account: number;
  readonly method: 'releaseGroup' | 'signedIn' | 'signInFailed' | 'expired' | 'submitted';
  readonly state?: StorageState;
}

export type ToWorker =
  | StartRun
  | { readonly type: 'abort' }
  | { readonly type: 'account'; readonly id: number; readonly account?: WireAccount; readonly error?: string }
  | {
      readonly type: 'endpoint';
      readonly id: number;
      readonly wsEndpoint: string;
      readonly slowMo?: number;
      readonly error?: string;
    };

export type ToMain =
  | { readonly type: 'ready' | 'beat' }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'hook'; readonly name: keyof RunHooks; readonly info: object }
  | { readonly type: 'armed'; readonly ms: number }
  | { readonly type: 'need-account' | 'need-endpoint'; readonly id: number }
  | AccountCall
  | { readonly type: 'ask'; readonly account: number }
  | { readonly type: 'load-error'; readonly message: string }
  /** Journey code failed while its worker waited for a run (a timer an earlier run left). */
  | { readonly type: 'idle-fault'; readonly message: string }
  | { readonly type: 'result'; readonly result: RunResult; readonly lateFaults: readonly string[] };

export interface Spawned {
  readonly worker: Worker;
  readonly answer: Int32Array;
  exited: boolean;
  /** The journey file of its latest run, and how many runs it has made. */
  file?: string;
  runs: number;
}

/** A worker is replaced after this many runs, so what journeys leave behind (timers, module state) stays bounded. */
export const WORKER_MAX_RUNS = 200;

/** A worker: its compiled entry, or from the sources isolation-boot.js (tsx, then the TypeScript entry). */
function spawn(): Spawned {
  const here = import.meta.url;
  const sources = here.endsWith('.ts');
  const entry = new URL(sources ? './isolation-worker.ts' : './isolation-worker.js', here);
  const shared = new SharedArrayBuffer(4);
  const data: WorkerData = { traceDir: privateTraceDir(), answer: shared, entry: entry.href };
  const worker = new Worker(sources ? new URL('./isolation-boot.js', here) : entry, { workerData: data });
  const spawned: Spawned = { worker, answer: new Int32Array(shared), exited: false, runs: 0 };
  worker.on('error', () => undefined);
  worker.on('exit', () => void (spawned.exited = true));
  worker.unref();
  return spawned;
}

/**
 * Warm workers waiting for a run, their modules loaded (and, once they have run, their journey
 * file and browser connection): a run takes one — one that ran the same file if any — and a clean
 * run gives it back, so a run pays for a worker's start only when none waits.
 */
const idle: Spawned[] = [];
let keepIdle = 1;
let onIdleFault: (message: string, file: string | undefined) => void = () => undefined;

/** How many workers may wait (the command's concurrency or its journey files, bounded), and who hears of a waiting worker's fault. */
export function configureJourneyWorkers(options: {
  readonly keep: number;
  readonly onIdleFault?: (message: string, file: string | undefined) => void;
}): void {
  keepIdle = Math.min(8, Math.max(1, Math.floor(options.keep)));
  if (options.onIdleFault) onIdleFault = options.onIdleFault;
  while (idle.length > keepIdle) void idle.shift()?.worker.terminate();
}

export function takeWorker(file: string): Spawned {
  for (let i = idle.length - 1; i >= 0; i--) if (idle[i]!.exited) idle.splice(i, 1);
  const same = idle.findIndex((s) => s.file === file);
  const [taken] = idle.splice(same >= 0 ? same : 0, 1);
  if (taken === undefined) return spawn();
  taken.worker.removeAllListeners('message');
  return taken;
}

/** A worker after a clean run: it waits for the next one, or ends when enough wait or it is old. */
export function giveBack(spawned: Spawned, file: string): void {
  spawned.file = file;
  spawned.runs++;
  spawned.worker.unref();
  if (spawned.exited || spawned.runs >= WORKER_MAX_RUNS || idle.length >= keepIdle) {
    void spawned.worker.terminate().catch(() => undefined);
    return;
  }
  spawned.worker.on('message', (message: ToMain) => {
    if (message.type !== 'idle-fault') return;
    const at = idle.indexOf(spawned);
    if (at >= 0) idle.splice(at, 1);
    void spawned.worker.terminate().catch(() => undefined);
    onIdleFault(message.message, spawned.file);
  });
  idle.push(spawned);
}

/** Starts a waiting worker now (serve, once its browser is up), so the first run does not wait for one. */
export function prewarmJourneyWorker(): void {
  if (!idle.some((s) => !s.exited)) idle.push(spawn());
}

/** Ends every waiting worker (a command's shutdown; tests that start many). */
export async function closeJourneyWorkers(): Promise<void> {
  const all = idle.splice(0);
  await Promise.all(all.map((s) => s.worker.terminate().catch(() => undefined)));
}

/** The account a provider gave, as it crosses to the worker; its secrets join `secrets` (for redaction here). */
export function toWire(id: number, account: Account, secrets: string[]): WireAccount {
  const common = {
    id,
    releaseGroup: account.releaseGroup !== undefined,
    cardBudget: account.cardBudget !== undefined,
  };
  let email: string;
  let password: string;
  try {
    [email, password] = [account.email, account.password.reveal()];
  } catch (error) {
    return { ...common, missing: errorText(error) };
  }
  const otpSecret = account.otpSecret?.reveal();
  secrets.push(email, password, ...[account.username, otpSecret].filter((s) => s !== undefined));
  return {
    ...common,
    email,
    password,
    ...(account.username === undefined ? {} : { username: account.username }),
    ...(otpSecret === undefined ? {} : { otpSecret }),
    ...(account.groupId === undefined ? {} : { groupId: account.groupId }),
    ...(account.subscriptionId === undefined ? {} : { subscriptionId: account.subscriptionId }),
    ...(account.session === undefined ? {} : { session: { restored: account.session.restored } }),
  };
}

/** A worker's call of one of the account's methods, made on the provider's account. */
export function callAccount(
  account: Account | undefined,
  method: AccountCall['method'],
  state: StorageState | undefined,
): void {
  if (method === 'releaseGroup') account?.releaseGroup?.();
  else if (method === 'submitted') account?.cardBudget?.submitted();
  else if (method === 'signedIn' && state !== undefined) account?.session?.signedIn(state);
  else if (method === 'signInFailed') account?.session?.signInFailed();
  else if (method === 'expired') account?.session?.expired();
}

/**
 * The account as the worker's journey sees it: the same fields, Secrets again, each method a
 * message to the main thread; `exceededByProber` (synchronous) asks through `ask`.
 */
export function fromWire(
  wire: WireAccount,
  call: (method: AccountCall['method'], state?: StorageState) => void,
  ask: () => boolean,
): Account {
  if (wire.missing !== undefined) {
    const missing = (): never => {
      throw new JourneyFailure('precondition', wire.missing!);
    };
    return Object.defineProperties({} as Account, { email: { get: missing }, password: { get: missing } });
  }
  const signIns = { success: 0, failure: 0 };
  return {
    email: wire.email!,
    password: new Secret(wire.password!),
    ...(wire.username === undefined ? {} : { username: wire.username }),
    ...(wire.otpSecret === undefined ? {} : { otpSecret: new Secret(wire.otpSecret) }),
    ...(wire.groupId === undefined ? {} : { groupId: wire.groupId }),
    ...(wire.subscriptionId === undefined ? {} : { subscriptionId: wire.subscriptionId }),
    ...(wire.releaseGroup ? { releaseGroup: () => call('releaseGroup') } : {}),
    ...(wire.session === undefined
      ? {}
      : {
          session: {
            restored: wire.session.restored,
            signIns,
            signedIn: (state: StorageState) => {
              signIns.success++;
              call('signedIn', state);
            },
            signInFailed: () => {
              signIns.failure++;
              call('signInFailed');
            },
            expired: () => call('expired'),
          },
        }),
    ...(wire.cardBudget ? { cardBudget: { submitted: () => call('submitted'), exceededByProber: ask } } : {}),
  };
}
