// A journey worker (src/runner/isolation.ts): runs of journey files, one at a time, in its own
// thread, on its own connection to the pool's browser server. Whatever the journey's code does —
// throws outside an await, leaves a rejection, calls process.exit, loops — ends this thread
// at worst, never the process that schedules runs. After a clean run the thread waits for the
// next one (its modules, journey files and connection loaded already); a fault of journey code
// while it waits is reported, and the main thread stops it.
import { parentPort, workerData } from 'node:worker_threads';
import { chromium, type Browser, type BrowserContextOptions } from '@playwright/test';
import { pino } from 'pino';
import { isJourney } from '../journey/define.js';
import { JourneyFailure } from '../journey/failure.js';
import { loadJourneyFile } from '../journey/loader.js';
import type { Account, Journey } from '../journey/types.js';
import { Secret } from '../journey/secret.js';
import { fromWire, type StartRun, type ToMain, type ToWorker, type WorkerData } from './isolation-wire.js';
import { runJourney } from './run-journey.js';
import { errorText, toMessage } from './sanitize.js';
import { usePrivateTraceDir } from './artifacts.js';
import type { RunHooks } from './types.js';

const port = parentPort!;
const data = workerData as WorkerData;
const answer = new Int32Array(data.answer);
const post = (message: ToMain): void => port.postMessage(message);
const CONNECT_TIMEOUT_MS = 30_000;
/** How long a synchronous question to the main thread (the card budget) may wait for its answer. */
const ASK_TIMEOUT_MS = 2_000;

usePrivateTraceDir(data.traceDir);

/**
 * A fault of journey code while an attempt runs ends it; one between attempts is kept for the
 * run's result; one after the result (a timer the run left) is reported: this thread is stopped.
 */
let faultListener: ((error: Error) => void) | undefined;
let lateFaults: string[] | undefined;
function fault(what: string, error: unknown): void {
  const text = toMessage(`${what}: ${errorText(error)}`);
  if (faultListener) faultListener(new JourneyFailure('script', text));
  else if (lateFaults) lateFaults.push(text);
  else post({ type: 'idle-fault', message: text });
}
process.on('uncaughtException', (error) => fault('journey code threw outside any await', error));
process.on('unhandledRejection', (reason) =>
  fault('a promise of the journey rejected with nothing awaiting it', reason),
);
// process.exit in a worker would end only this thread, but the run would lose its evidence: a script error instead.
const refuse = (call: string): never => {
  throw new JourneyFailure('script', `the journey called ${call}: a journey cannot end the prober`);
};
process.exit = (code?: number) => refuse(`process.exit(${code ?? ''})`);
process.abort = () => refuse('process.abort()');
const kill = process.kill.bind(process);
process.kill = (pid: number, signal?: string | number) =>
  pid === process.pid || pid === 0 ? refuse(`process.kill(${pid})`) : kill(pid, signal);

/** While a run runs, the main thread learns from these that the thread still turns (a synchronous loop stops them). */
const BEAT_MS = 250;

let nextId = 0;
const waiting = new Map<number, (reply: ToWorker) => void>();
function request(message: (id: number) => ToMain): Promise<ToWorker> {
  const id = ++nextId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    post(message(id));
  });
}

let abort = new AbortController();
port.on('message', (message: ToWorker) => {
  if (message.type === 'run') {
    abort = new AbortController();
    lateFaults = [];
    const beat = setInterval(() => post({ type: 'beat' }), BEAT_MS);
    // A run that throws before its result (its file fails to import, a message cannot be
    // posted) is a load error the main thread records, never a run left waiting.
    run(message)
      .catch((error: unknown) =>
        post({ type: 'load-error', message: `the journey's worker failed: ${errorText(error)}` }),
      )
      .finally(() => {
        clearInterval(beat);
        faultListener = undefined;
        lateFaults = undefined;
      });
  } else if (message.type === 'abort') abort.abort(new Error('aborted by shutdown'));
  else {
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  }
});
post({ type: 'ready' });

async function run(start: StartRun): Promise<void> {
  const loaded = await loadJourneyFile(start.journeyFile);
  if (!isJourney(loaded) || loaded.name !== start.journeyName) {
    const why = isJourney(loaded) ? `it now defines "${loaded.name}"` : loaded.message;
    post({ type: 'load-error', message: `${start.journeyFile} did not load in its worker: ${why}` });
    return;
  }
  const journey: Journey = loaded;
  const log = pino(
    { level: start.logLevel, base: undefined, timestamp: false },
    { write: (line: string) => post({ type: 'log', line }) },
  );
  const forward =
    (name: keyof RunHooks) =>
    (info: object): void =>
      post({ type: 'hook', name, info });
  const target =
    start.card === undefined
      ? start.target
      : { ...start.target, card: { number: new Secret(start.card.number), cvv: new Secret(start.card.cvv) } };
  const result = await runJourney(journey, target, {
    ...start.options,
    browser: { newContext },
    accounts: () => account(),
    log,
    signal: abort.signal,
    hooks: {
      onAttemptStart: forward('onAttemptStart'),
      onStepStart: forward('onStepStart'),
      onStepEnd: forward('onStepEnd'),
      onAttemptEnd: forward('onAttemptEnd'),
    },
    watch: {
      armed: (ms) => post({ type: 'armed', ms }),
      onFault: (listener) => void (faultListener = listener),
    },
  });
  post({ type: 'result', result, lateFaults: lateFaults ?? [] });
}

let browser: Browser | undefined;
let endpoint = '';
async function newContext(options?: BrowserContextOptions): ReturnType<Browser['newContext']> {
  const reply = await request((id) => ({ type: 'need-endpoint', id }));
  if (reply.type !== 'endpoint') throw new Error('no browser endpoint');
  if (reply.error !== undefined) throw new Error(reply.error);
  if (browser === undefined || !browser.isConnected() || endpoint !== reply.wsEndpoint) {
    void browser?.close().catch(() => undefined);
    const slow = reply.slowMo === undefined ? {} : { slowMo: reply.slowMo };
    browser = await chromium.connect(reply.wsEndpoint, { timeout: CONNECT_TIMEOUT_MS, ...slow });
    endpoint = reply.wsEndpoint;
  }
  const context = await browser.newContext(options);
  guardListeners(context);
  return context;
}

/**
 * Over a connection (not a pipe) Playwright closes the whole connection when a listener throws
 * (`page.on('console', …)`), which would read as the browser going away: every Playwright
 * object's emit (one shared base class) reports a throwing listener as the journey's fault instead.
 */
let guarded = false;
function guardListeners(object: object): void {
  if (guarded) return;
  guarded = true;
  let proto: unknown = Object.getPrototypeOf(object);
  while (proto !== null && !Object.hasOwn(proto as object, 'emit')) proto = Object.getPrototypeOf(proto);
  if (proto === null) return;
  const holder = proto as { emit: (...args: unknown[]) => boolean };
  const emit = holder.emit;
  holder.emit = function (this: unknown, ...args: unknown[]): boolean {
    try {
      return emit.apply(this, args);
    } catch (error) {
      fault(`a listener of the journey ('${String(args[0])}') threw`, error);
      return true;
    }
  };
}

/** The attempt's account, from the main thread's provider; its calls go back there. */
async function account(): Promise<Account> {
  const reply = await request((id) => ({ type: 'need-account', id }));
  if (reply.type !== 'account') throw new Error('no account');
  if (reply.error !== undefined) throw new JourneyFailure('precondition', reply.error);
  const wire = reply.account!;
  return fromWire(
    wire,
    (method, state) =>
      post({ type: 'call', account: wire.id, method, ...(state === undefined ? {} : { state }) }),
    () => ask(wire.id),
  );
}

/** A synchronous answer from the main thread: this thread waits on shared memory, bounded. */
function ask(account: number): boolean {
  Atomics.store(answer, 0, 0);
  post({ type: 'ask', account });
  Atomics.wait(answer, 0, 0, ASK_TIMEOUT_MS);
  return Atomics.load(answer, 0) === 1;
}
