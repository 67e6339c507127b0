import { randomUUID } from 'node:crypto';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type BrowserServer,
} from '@playwright/test';
import type { Logger } from 'pino';
import { chromiumArgs, findPidByArg, launchFailureDetail } from './chromium-process.js';
import { toMessage } from './sanitize.js';
import { privateTraceDir, sweepStaleTraces } from './artifacts.js';
import type { BrowserLease, ContextSource } from './types.js';

/** Once per process, before its first browser: a killed prober's leftovers go. */
let sweeping: Promise<void> | undefined;

export { BrowserNotFoundError, resolveBrowserPath, type ResolvedBrowser } from './chromium-process.js';

/** Chromium would not start (bad binary, missing libraries, launch timeout) or the pool is closed. */
export class BrowserLaunchError extends Error {
  override readonly name = 'BrowserLaunchError';
}

export interface BrowserPoolOptions {
  readonly executablePath: string;
  /** Default true. */
  readonly headless?: boolean;
  readonly slowMo?: number;
  readonly extraArgs?: readonly string[];
  /** Relaunch after this many contexts, to bound Chromium's memory; 0 (default) = never. */
  readonly recycleAfterRuns?: number;
  /** Default 30 s. */
  readonly launchTimeoutMs?: number;
  /**
   * Let Playwright close the browser itself on SIGINT/SIGTERM/SIGHUP (its default, true).
   * `serve` passes false: it owns shutdown, so running journeys get their grace period.
   */
  readonly handleSignals?: boolean;
  /** Launch a browser server for journey workers (isolation.ts) to connect to; else a pipe. */
  readonly server?: boolean;
  readonly log: Logger;
}

/**
 * One Chromium per process, shared by every run: launched lazily (or eagerly with
 * `launch()`), relaunched when it disconnects (crash, killed), recycled after N contexts.
 * Concurrent callers during a (re)launch share that launch.
 */
export class BrowserPool implements ContextSource {
  readonly #options: BrowserPoolOptions;
  /** The server of each browser (journey workers connect to it) and how many worker runs hold it. */
  readonly #servers = new Map<Browser, { server: BrowserServer; leases: number }>();
  readonly #listeners: (() => void)[] = [];
  readonly #retiring = new Set<Browser>();
  #browser: Browser | undefined;
  #launching: Promise<Browser> | undefined;
  #marker = '';
  #pid: number | undefined;
  #version: string | undefined;
  #contextsOnBrowser = 0;
  #restarts = 0;
  #lostBrowser = false;
  #launchError: string | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: BrowserPoolOptions) {
    if (!options.executablePath) throw new BrowserLaunchError('BrowserPool: executablePath is required');
    const recycle = options.recycleAfterRuns ?? 0;
    if (!Number.isInteger(recycle) || recycle < 0) {
      throw new BrowserLaunchError('BrowserPool: recycleAfterRuns must be a whole number >= 0');
    }
    this.#options = options;
  }

  /** Relaunches after a disconnect (not recycles, not the first launch). */
  get restarts(): number {
    return this.#restarts;
  }

  get connected(): boolean {
    return this.#browser?.isConnected() ?? false;
  }

  /** Why the latest launch failed; undefined once a launch succeeds (serve's readiness). */
  get launchError(): string | undefined {
    return this.#launchError;
  }

  /** The browser's version once launched (for build_info). */
  get version(): string | undefined {
    return this.#version;
  }

  /** Chromium's main process id while launched (Linux); tests kill it. */
  get pid(): number | undefined {
    if (!this.connected) return undefined;
    this.#pid ??= this.#servers.get(this.#browser!)?.server.process().pid ?? findPidByArg(this.#marker);
    return this.#pid;
  }

  /** Called after each relaunch that follows a disconnect. */
  onRestart(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Launches now (serve's readiness). @throws BrowserLaunchError */
  async launch(): Promise<void> {
    await this.#ensure();
  }

  /** A fresh context on the pool's browser, (re)launching it first when needed. */
  async newContext(options?: BrowserContextOptions): Promise<BrowserContext> {
    const browser = await this.#current();
    try {
      const context = await browser.newContext(options);
      this.#contextsOnBrowser++;
      return context;
    } catch (error) {
      if (browser.isConnected() || this.#closing) throw error;
      // It died between launch and now: one relaunch, then give up.
      const context = await (await this.#ensure()).newContext(options);
      this.#contextsOnBrowser++;
      return context;
    }
  }

  /** The browser to open on: (re)launched, or recycled after N contexts. */
  async #current(): Promise<Browser> {
    const browser = await this.#ensure();
    const recycle = this.#options.recycleAfterRuns ?? 0;
    if (recycle === 0 || this.#contextsOnBrowser < recycle) return browser;
    // A concurrent caller may have retired it already; then share its relaunch.
    if (this.#browser === browser) this.#retire(browser);
    return this.#ensure();
  }

  /** The browser server's endpoint for a journey worker's context; a retired browser closes once all are released. */
  async lease(): Promise<BrowserLease> {
    const browser = await this.#current();
    const held = this.#servers.get(browser);
    if (held === undefined)
      throw new BrowserLaunchError('journey workers need the pool made with `server: true`');
    held.leases++;
    this.#contextsOnBrowser++;
    const release = (): void => {
      held.leases--;
      if (this.#retiring.has(browser)) this.#closeIfIdle(browser);
    };
    const { slowMo } = this.#options;
    return { wsEndpoint: held.server.wsEndpoint(), release, ...(slowMo === undefined ? {} : { slowMo }) };
  }

  /** Closes the browser (and any being recycled). Idempotent; no Chromium outlives it. */
  close(): Promise<void> {
    this.#closing ??= this.#closeAll();
    return this.#closing;
  }

  async #closeAll(): Promise<void> {
    await this.#launching?.catch(() => undefined);
    const browsers = [this.#browser, ...this.#retiring].filter((b): b is Browser => b !== undefined);
    this.#browser = undefined;
    this.#retiring.clear();
    await Promise.all(browsers.map((b) => this.#closeBrowser(b)));
  }
  /** Closes our client and the server (which ends Chromium and every worker's connection). */
  async #closeBrowser(browser: Browser): Promise<void> {
    const server = this.#servers.get(browser)?.server;
    this.#servers.delete(browser);
    await browser.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
  }

  #ensure(): Promise<Browser> {
    if (this.#closing) return Promise.reject(new BrowserLaunchError('browser pool is closed'));
    const current = this.#browser;
    // Chromium killed: a server's client may not have heard yet (a pipe is told at once).
    const proc = current && this.#servers.get(current)?.server.process();
    if (
      current?.isConnected() &&
      (proc === undefined || (proc.exitCode === null && proc.signalCode === null))
    )
      return Promise.resolve(current);
    if (current) this.#onDisconnected(current);
    this.#launching ??= this.#launchOnce().finally(() => {
      this.#launching = undefined;
    });
    return this.#launching;
  }

  async #launchOnce(): Promise<Browser> {
    const {
      executablePath,
      headless = true,
      slowMo,
      extraArgs = [],
      launchTimeoutMs = 30_000,
      handleSignals = true,
      log,
    } = this.#options;
    const marker = `--journey-prober-browser=${randomUUID()}`;
    sweeping ??= sweepStaleTraces().then(
      (removed) => {
        if (removed > 0) log.info({ removed }, "removed a killed prober's leftover traces");
      },
      () => undefined,
    );
    await sweeping;
    let browser: Browser;
    let server: BrowserServer | undefined;
    try {
      const options = {
        tracesDir: privateTraceDir(), // raw traces (passwords typed, cookies) stay private until scrubbed
        ...{ executablePath, headless, timeout: launchTimeoutMs, args: chromiumArgs([...extraArgs, marker]) },
        ...{ handleSIGINT: handleSignals, handleSIGTERM: handleSignals, handleSIGHUP: handleSignals },
      };
      const slow = slowMo === undefined ? {} : { slowMo };
      server = this.#options.server
        ? await chromium.launchServer({ ...options, host: '127.0.0.1' })
        : undefined;
      const endpoint = server?.wsEndpoint();
      browser = await (endpoint === undefined
        ? chromium.launch({ ...options, ...slow })
        : chromium.connect(endpoint, { timeout: launchTimeoutMs, ...slow }).catch(async (error: unknown) => {
            await server?.close().catch(() => undefined);
            throw error;
          }));
    } catch (error) {
      const detail = toMessage(launchFailureDetail(error instanceof Error ? error.message : String(error)));
      this.#launchError = `could not launch Chromium at ${executablePath}: ${detail}`;
      log.error({ executablePath, err: detail }, 'browser would not launch');
      throw new BrowserLaunchError(this.#launchError, { cause: error });
    }
    if (server) this.#servers.set(browser, { server, leases: 0 });
    if (this.#closing) {
      await this.#closeBrowser(browser);
      throw new BrowserLaunchError('browser pool is closed');
    }
    browser.on('disconnected', () => this.#onDisconnected(browser));
    const restart = this.#lostBrowser;
    this.#browser = browser;
    this.#marker = marker;
    this.#pid = undefined;
    this.#version = browser.version();
    this.#contextsOnBrowser = 0;
    this.#lostBrowser = false;
    this.#launchError = undefined;
    log.info({ browser: this.#version, executablePath, restart }, 'browser launched');
    if (restart) {
      this.#restarts++;
      for (const listener of this.#listeners) {
        try {
          listener();
        } catch (error) {
          log.warn({ err: toMessage(String(error)) }, 'browser restart listener threw');
        }
      }
    }
    return browser;
  }

  #onDisconnected(browser: Browser): void {
    this.#retiring.delete(browser);
    void this.#closeBrowser(browser); // its server, which outlives a crashed Chromium
    if (this.#browser !== browser || this.#closing) return;
    this.#browser = undefined;
    this.#lostBrowser = true;
    this.#options.log.warn('browser disconnected; it will be relaunched for the next run');
  }

  /** Recycling: the old browser closes once its last context closes and its last lease is released. */
  #retire(browser: Browser): void {
    this.#browser = undefined;
    this.#retiring.add(browser);
    for (const context of browser.contexts()) context.on('close', () => this.#closeIfIdle(browser, context));
    this.#closeIfIdle(browser);
    this.#options.log.info('browser recycled');
  }

  #closeIfIdle(browser: Browser, closed?: BrowserContext): void {
    if ((this.#servers.get(browser)?.leases ?? 0) > 0) return;
    if (!browser.contexts().every((c) => c === closed)) return;
    this.#retiring.delete(browser);
    void this.#closeBrowser(browser);
  }
}
