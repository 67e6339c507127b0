import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { CommandIO } from '../../../src/commands/run.js';
import type { RunResult } from '../../../src/journey/types.js';
import { createLogger, SecretRegistry } from '../../../src/log.js';
import { freePort, poll, text } from './http.js';
import { parseMetrics, type Sample } from './metrics.js';
import { jsonLines, ProberProcess, type Exit } from './process.js';

/** A temporary working directory with journey files and a config. */
export interface Workdir {
  readonly dir: string;
  readonly config: string;
  readonly results: string;
}

export function workdir(journeys: Record<string, string>, config: string): Workdir {
  const dir = mkdtempSync(join(tmpdir(), 'prober-serve-e2e-'));
  mkdirSync(join(dir, 'journeys'));
  for (const [name, source] of Object.entries(journeys))
    writeFileSync(join(dir, 'journeys', `${name}.journey.ts`), source);
  writeFileSync(join(dir, 'config.yaml'), config);
  return { dir, config: join(dir, 'config.yaml'), results: join(dir, 'out', 'runs.jsonl') };
}

export interface ServeStart {
  /** Environment of serve (PROBER_LISTEN is set to a free port unless given). */
  readonly env?: NodeJS.ProcessEnv;
  /** A work dir to reuse (a restart); the config lines, when any, replace its config. */
  readonly work?: Workdir;
}

/**
 * One `serve` under test with its work dir, URL and readers. Two kinds behind one API:
 * `InProcessServe` (the serve command called in this process, stopped by an abort: for
 * every test that is not about processes) and `ServeProcess` (the CLI as a child process:
 * signals, exit codes, SIGSTOP, Chromium's process groups).
 */
export abstract class ServeUnderTest {
  protected constructor(
    readonly work: Workdir,
    readonly url: string,
  ) {}

  /** Starts serve in this process (the default for a test not about processes). */
  static async inProcess(
    journeys: Record<string, string>,
    config: readonly string[],
    options: ServeStart = {},
  ): Promise<InProcessServe> {
    const { work, env } = await prepare(journeys, config, options);
    return InProcessServe.begin(work, env);
  }

  /** Starts `journey-prober serve` as a child process in its own process group. */
  static async process(
    journeys: Record<string, string>,
    config: readonly string[],
    options: ServeStart = {},
  ): Promise<ServeProcess> {
    const { work, env } = await prepare(journeys, config, options);
    return new ServeProcess(work, env);
  }

  /** What serve wrote so far: its log (JSON lines) and what else went to its stdout. */
  abstract output(): string;

  /** What serve wrote to stderr so far. */
  abstract readonly stderr: string;

  /** How serve ended, once it has. */
  abstract readonly exited: Promise<Exit>;

  /** Asks serve to shut down (SIGTERM or its in-process equivalent) and waits for the end. */
  abstract stop(): Promise<Exit & { ms: number }>;

  /** afterAll/afterEach: ends what is left of serve, removes the work dir. */
  abstract dispose(): Promise<void>;

  logLines(): Record<string, unknown>[] {
    return jsonLines(this.output());
  }

  /** The last lines serve wrote (for a failed test's report). */
  tail(lines = 40): string {
    return this.output().split('\n').slice(-lines).join('\n');
  }

  async ready(timeoutMs = 45_000): Promise<void> {
    await poll(
      'serve ready',
      async () => {
        const ended = await Promise.race([this.exited, Promise.resolve(undefined)]);
        if (ended !== undefined) throw new Error(`serve ended (${JSON.stringify(ended)}): ${this.tail(5)}`);
        return (await text(`${this.url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined;
      },
      timeoutMs,
      100,
    );
  }

  async readyz(): Promise<{ status: number; body: string }> {
    return text(`${this.url}/readyz`);
  }

  async metrics(): Promise<Sample[]> {
    return parseMetrics((await text(`${this.url}/metrics`)).body);
  }

  /** Every line of the results log, parsed (a line that does not parse throws). */
  runs(path = this.work.results): RunResult[] {
    let body: string;
    try {
      body = readFileSync(path, 'utf8');
    } catch {
      return [];
    }
    return body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as RunResult);
  }

  /** Waits until the results log holds at least `count` runs matching `which`. */
  async runsWhere(
    what: string,
    which: (r: RunResult) => boolean,
    count: number,
    timeoutMs: number,
  ): Promise<RunResult[]> {
    return poll(
      what,
      () => {
        const found = this.runs().filter(which);
        return Promise.resolve(found.length >= count ? found : undefined);
      },
      timeoutMs,
      100,
    );
  }
}

async function prepare(
  journeys: Record<string, string>,
  config: readonly string[],
  options: ServeStart,
): Promise<{ work: Workdir; env: NodeJS.ProcessEnv }> {
  const yaml = [...config, ''].join('\n');
  const work = options.work ?? workdir(journeys, yaml);
  if (options.work !== undefined && config.length > 0) writeFileSync(work.config, yaml);
  const env = { ...options.env };
  env.PROBER_LISTEN ??= `127.0.0.1:${await freePort()}`;
  return { work, env };
}

const urlOf = (env: NodeJS.ProcessEnv): string => `http://${env.PROBER_LISTEN ?? ''}`;

/** `journey-prober serve` as a child process. */
export class ServeProcess extends ServeUnderTest {
  readonly prober: ProberProcess;
  readonly exited: Promise<Exit>;

  constructor(work: Workdir, env: NodeJS.ProcessEnv) {
    super(work, urlOf(env));
    this.prober = new ProberProcess(['serve', '--config', work.config], env, work.dir);
    this.exited = this.prober.exited;
  }

  output(): string {
    return this.prober.stdout;
  }

  get stderr(): string {
    return this.prober.stderr;
  }

  override tail(lines = 40): string {
    return [super.tail(lines), this.prober.stderr].join('\n');
  }

  /** SIGTERM and the exit, with how long it took. */
  async stop(): Promise<Exit & { ms: number }> {
    const t0 = Date.now();
    this.prober.signal('SIGTERM');
    const exit = await this.prober.exited;
    return { ...exit, ms: Date.now() - t0 };
  }

  async dispose(): Promise<void> {
    if (this.prober.running) {
      this.prober.kill();
      await this.prober.exited;
    }
    rmSync(this.work.dir, { recursive: true, force: true });
  }
}

/** In-process serves started, so each has a log file of its own. */
let started = 0;

/** How long an in-process serve may take to wind up once aborted, before the test gives up on it. */
const IN_PROCESS_STOP_MS = 60_000;

/**
 * The serve command called in this process: its own registry, logger (the real one, JSON
 * lines to a file in the work dir), environment and AbortController; stopped by an abort,
 * as the CLI does on SIGTERM.
 */
export class InProcessServe extends ServeUnderTest {
  readonly exited: Promise<Exit & { error?: unknown }>;
  /** What the command wrote to its stdout and stderr terminals. */
  stdout = '';
  stderr = '';
  readonly #controller = new AbortController();
  readonly #logFile: string;
  readonly #log: Logger;
  #error: unknown;

  private constructor(
    work: Workdir,
    env: NodeJS.ProcessEnv,
    logFile: string,
    log: Logger,
    secrets: SecretRegistry,
  ) {
    super(work, urlOf(env));
    this.#logFile = logFile;
    this.#log = log;
    const io: CommandIO = {
      stdout: { write: (t: string) => void (this.stdout += t), color: false },
      stderr: { write: (t: string) => void (this.stderr += t), color: false },
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      log,
      secrets,
      signal: this.#controller.signal,
    };
    this.exited = (async () => {
      const { loadConfig } = await import('../../../src/config/load.js');
      const { serveCommand } = await import('../../../src/commands/serve.js');
      const config = loadConfig(work.config, io.env, work.dir);
      return { code: await serveCommand(config, io), signal: null };
    })().catch((error: unknown) => {
      this.#error = error;
      return { code: null, signal: null, error };
    });
  }

  static begin(work: Workdir, env: NodeJS.ProcessEnv): InProcessServe {
    const logFile = join(work.dir, `serve-${++started}.log`);
    const fd = openSync(logFile, 'a');
    const secrets = new SecretRegistry();
    // The CLI's own logger (redaction and secret scrubbing included), on a file instead of fd 1.
    const log = createLogger({ level: 'info', fd: fd as 1, secrets });
    return new InProcessServe(work, env, logFile, log, secrets);
  }

  output(): string {
    let logged = '';
    try {
      logged = readFileSync(this.#logFile, 'utf8');
    } catch {
      /* nothing logged yet */
    }
    return logged + this.stdout;
  }

  override tail(lines = 40): string {
    const error = this.#error instanceof Error ? (this.#error.stack ?? this.#error.message) : '';
    return [super.tail(lines), this.stderr, error].join('\n');
  }

  /** Aborts (what SIGTERM does to the CLI) and waits for serve to wind up, `boundMs` at most. */
  async stop(boundMs = IN_PROCESS_STOP_MS): Promise<Exit & { ms: number }> {
    const t0 = Date.now();
    this.#controller.abort(new Error('test stops serve'));
    const exit = await this.#bounded(boundMs);
    return { ...exit, ms: Date.now() - t0 };
  }

  async dispose(): Promise<void> {
    this.#controller.abort(new Error('test disposes serve'));
    await this.#bounded();
    closeLog(this.#log);
    rmSync(this.work.dir, { recursive: true, force: true });
  }

  async #bounded(boundMs = IN_PROCESS_STOP_MS): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Exit>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`serve did not wind up within ${boundMs} ms of the abort`)),
        boundMs,
      );
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Ends the logger's file stream (which closes its file descriptor). */
function closeLog(log: Logger): void {
  const stream = (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    { end?: () => void; fd?: number } | undefined;
  if (typeof stream?.end === 'function') stream.end();
  else if (typeof stream?.fd === 'number') closeSync(stream.fd);
}
