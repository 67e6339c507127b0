/**
 * The evidence of one attempt: what its context saw (console errors, page errors, failed
 * requests, responses >= 400), the screenshot of the page as it failed, the raw trace, and
 * the credentials it handled (to scrub them from all of it).
 */
import { performance } from 'node:perf_hooks';
import type { BrowserContext, Page, Request, Response } from '@playwright/test';
import { MIN_COOKIE_SECRET_LENGTH } from '../log.js';
import type { HttpRecord } from './classify.js';
import { urlWithoutQuery } from './sanitize.js';
import { bestEffort } from './steps.js';

/** At most this many console lines and request records are kept per attempt. */
export const MAX_RECORDS = 500;

/** A failed request or a response >= 400: what `requests.json` lists. */
export interface RequestRecord {
  readonly method: string;
  /** Origin and path only: a query string may carry tokens. */
  readonly url: string;
  readonly resourceType: string;
  readonly status?: number;
  readonly failure?: string;
}

interface Timed<T> {
  readonly at: number;
  readonly value: T;
}

/**
 * Watches a context for the evidence of a failure: console errors, uncaught page
 * errors, failed requests and responses >= 400. Every record is stamped with
 * `performance.now()` so a failure can be explained by what happened during its step.
 */
export class ContextObserver {
  readonly #console: string[] = [];
  readonly #requests: Timed<RequestRecord>[] = [];
  readonly #http: Timed<HttpRecord>[] = [];
  readonly #started = Date.now();

  constructor(context: BrowserContext) {
    context.on('console', (message) => {
      if (message.type() === 'error') this.#line(`console.error: ${message.text()}`);
    });
    context.on('weberror', (webError) => {
      const error = webError.error();
      this.#line(`pageerror: ${error.name}: ${error.message}`);
    });
    context.on('requestfailed', (request) => this.#failed(request));
    context.on('response', (response) => this.#response(response));
  }

  /** Console errors and page errors, one line each, prefixed with seconds since the attempt began. */
  get consoleLines(): readonly string[] {
    return this.#console;
  }

  get requests(): readonly RequestRecord[] {
    return this.#requests.map((r) => r.value);
  }

  /** Responses >= 400 recorded at or after `since` (a `performance.now()` value). */
  httpSince(since: number): HttpRecord[] {
    return this.#http.filter((r) => r.at >= since).map((r) => r.value);
  }

  #line(text: string): void {
    if (this.#console.length >= MAX_RECORDS) return;
    const seconds = ((Date.now() - this.#started) / 1000).toFixed(3);
    this.#console.push(`[+${seconds}s] ${text.replace(/\s*\n\s*/g, ' ')}`);
  }

  #failed(request: Request): void {
    if (this.#requests.length >= MAX_RECORDS) return;
    this.#requests.push({
      at: performance.now(),
      value: {
        method: request.method(),
        url: urlWithoutQuery(request.url()),
        resourceType: request.resourceType(),
        failure: request.failure()?.errorText ?? 'failed',
      },
    });
  }

  #response(response: Response): void {
    const status = response.status();
    if (status < 400) return;
    const request = response.request();
    const at = performance.now();
    let origin = '';
    let path = '';
    try {
      const url = new URL(response.url());
      origin = url.origin;
      path = url.pathname;
    } catch {
      return;
    }
    const record = { method: request.method(), origin, path, status, resourceType: request.resourceType() };
    if (this.#http.length < MAX_RECORDS) this.#http.push({ at, value: record });
    if (this.#requests.length < MAX_RECORDS) {
      this.#requests.push({
        at,
        value: { method: record.method, url: `${origin}${path}`, resourceType: record.resourceType, status },
      });
    }
  }
}

/** What one attempt leaves behind for its artifacts (before any scrubbing). */
export interface Evidence {
  /** Full-page PNG taken when the attempt failed, password inputs masked. */
  readonly screenshot?: Buffer;
  /** The raw trace in a temporary file: it holds secrets until scrubbed. */
  readonly tracePath?: string;
  readonly consoleLines: readonly string[];
  readonly requests: readonly RequestRecord[];
}

/** Bounds on evidence capture: a hung page must not hold the run. */
export const SCREENSHOT_TIMEOUT_MS = 5_000;
const STOP_LOADING_TIMEOUT_MS = 1_000;
export const TRACE_STOP_TIMEOUT_MS = 15_000;
export const COOKIES_TIMEOUT_MS = 2_000;

/**
 * A full-page screenshot with every password input masked; undefined when it cannot be
 * taken. Pending loads are stopped first: Chromium does not capture a page while a
 * navigation is pending (a hanging server would cost the whole screenshot timeout).
 */
export async function screenshot(page: Page): Promise<Buffer | undefined> {
  await bestEffort(async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.stopLoading');
    await cdp.detach();
  }, STOP_LOADING_TIMEOUT_MS);
  return bestEffort(
    () =>
      page.screenshot({
        fullPage: true,
        mask: [page.locator('input[type="password"]')],
        animations: 'disabled',
        timeout: SCREENSHOT_TIMEOUT_MS,
      }),
    SCREENSHOT_TIMEOUT_MS + 500,
  );
}

/** Stops tracing; saves to `path` when `keep`, else discards. Returns the path when saved. */
export async function stopTracing(
  context: BrowserContext,
  keep: boolean,
  path: string,
): Promise<string | undefined> {
  const saved = await bestEffort(async () => {
    await context.tracing.stop(keep ? { path } : {});
    return keep;
  }, TRACE_STOP_TIMEOUT_MS);
  return saved ? path : undefined;
}

/** Values of the context's cookies long enough to be secrets (sessions, CSRF tokens). */
export async function cookieSecrets(context: BrowserContext): Promise<string[]> {
  const cookies = (await bestEffort(() => context.cookies(), COOKIES_TIMEOUT_MS)) ?? [];
  return cookies.map((c) => c.value).filter((v) => v.length >= MIN_COOKIE_SECRET_LENGTH);
}
