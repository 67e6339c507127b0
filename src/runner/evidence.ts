/**
 * The evidence of one attempt: what its context saw (console errors, page errors, failed
 * requests, responses >= 400), the screenshot of the page as it failed, the raw trace, and
 * the credentials it handled (to scrub them from all of it).
 */
import { performance } from 'node:perf_hooks';
import type { BrowserContext, ConsoleMessage, Locator, Page, Request, Response } from '@playwright/test';
import { MIN_COOKIE_SECRET_LENGTH } from '../log.js';
import type { HttpRecord } from './classify.js';
import {
  authorizationValues,
  cookieValues,
  safeDecode,
  SECRET_QUERY_PARAMS,
  secretParamValues,
  urlWithoutQuery,
} from './sanitize.js';
import { bestEffort } from './steps.js';

/** At most this many console lines and request records are kept per attempt… */
export const MAX_RECORDS = 500;
/** …at most this many bytes of console text, each line cut to MAX_LINE_CHARS… */
export const MAX_CONSOLE_BYTES = 256 * 1024;
export const MAX_LINE_CHARS = 2_000;
/**
 * …and after this many console messages the context is no longer listened to at all:
 * Playwright materialises every message (and a handle per argument) for a listener, so a
 * page logging in a loop would otherwise grow the prober's memory without bound.
 */
export const MAX_CONSOLE_MESSAGES = 10_000;
/** Credentials remembered per attempt (a bound, not a limit any real run meets). */
const MAX_CREDENTIALS = 10_000;

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
 * Watches a context for the evidence of a failure — console errors, uncaught page errors,
 * failed requests and responses >= 400, each stamped with `performance.now()` so a failure
 * can be explained by what happened during its step — and for every credential that went
 * over the wire: cookies sent and set (rotated and cleared ones too, as they happen),
 * `Authorization` values, secret query parameters. All of it bounded in count and bytes.
 */
export class ContextObserver {
  readonly #console: string[] = [];
  readonly #requests: Timed<RequestRecord>[] = [];
  readonly #http: Timed<HttpRecord>[] = [];
  readonly #credentials = new Set<string>();
  readonly #pending = new Set<Promise<void>>();
  readonly #secretParams: ReadonlySet<string>;
  readonly #started = Date.now();
  #consoleBytes = 0;
  #consoleSeen = 0;
  #consoleDropped = 0;
  #requestsDropped = 0;

  constructor(context: BrowserContext, secretQueryParams: readonly string[] = []) {
    this.#secretParams = new Set([...SECRET_QUERY_PARAMS, ...secretQueryParams].map((n) => n.toLowerCase()));
    const onConsole = (message: ConsoleMessage): void => {
      if (++this.#consoleSeen >= MAX_CONSOLE_MESSAGES) context.off('console', onConsole);
      if (message.type() === 'error') this.#line(`console.error: ${message.text()}`);
    };
    context.on('console', onConsole);
    context.on('weberror', (webError) => {
      const error = webError.error();
      this.#line(`pageerror: ${error.name}: ${error.message}`);
    });
    context.on('request', (request) => this.#sent(request));
    context.on('requestfailed', (request) => this.#failed(request));
    context.on('response', (response) => this.#response(response));
    context.on('page', (page) =>
      page.on('framenavigated', (frame) =>
        this.#remember(secretParamValues(frame.url(), this.#secretParams)),
      ),
    );
  }

  /**
   * Console errors and page errors, one line each, prefixed with seconds since the attempt
   * began; a last line says how many more were not kept.
   */
  get consoleLines(): readonly string[] {
    if (this.#consoleDropped === 0 && this.#consoleSeen < MAX_CONSOLE_MESSAGES) return this.#console;
    const stopped =
      this.#consoleSeen >= MAX_CONSOLE_MESSAGES
        ? `; capture stopped after ${MAX_CONSOLE_MESSAGES} console messages`
        : '';
    return [...this.#console, `…${this.#consoleDropped} more lines not kept${stopped}`];
  }

  /** The records kept; a last one says how many more were not kept. */
  get requests(): readonly RequestRecord[] {
    const kept = this.#requests.map((r) => r.value);
    if (this.#requestsDropped === 0) return kept;
    const more = `…${this.#requestsDropped} more requests not kept`;
    return [...kept, { method: '…', url: more, resourceType: 'other', failure: more }];
  }

  /** Responses >= 400 recorded at or after `since` (a `performance.now()` value). */
  httpSince(since: number): HttpRecord[] {
    return this.#http.filter((r) => r.at >= since).map((r) => r.value);
  }

  /** Every credential seen so far, once the headers still being read are in (bounded by `ms`). */
  async credentials(ms: number): Promise<string[]> {
    await bestEffort(() => Promise.allSettled([...this.#pending]), ms);
    return [...this.#credentials];
  }

  #remember(values: readonly string[]): void {
    for (const value of values) {
      if (this.#credentials.size >= MAX_CREDENTIALS) return;
      if (value.length >= MIN_COOKIE_SECRET_LENGTH) this.#credentials.add(value);
      // A cookie value may travel URL-encoded (Rails' `--` signed values with `%3D`).
      const decoded = safeDecode(value);
      if (decoded !== value && decoded.length >= MIN_COOKIE_SECRET_LENGTH) this.#credentials.add(decoded);
    }
  }

  #headers(read: () => Promise<Record<string, string>>, names: readonly string[]): void {
    if (this.#pending.size >= MAX_CREDENTIALS) return;
    const pending = read()
      .then((headers) => {
        for (const name of names) {
          const value = headers[name];
          if (value === undefined) continue;
          if (name === 'cookie' || name === 'set-cookie')
            this.#remember(cookieValues(value, name === 'set-cookie'));
          else this.#remember(authorizationValues(value));
        }
      })
      .catch(() => undefined)
      .finally(() => this.#pending.delete(pending));
    this.#pending.add(pending);
  }

  #sent(request: Request): void {
    this.#remember(secretParamValues(request.url(), this.#secretParams));
    this.#headers(() => request.allHeaders(), ['cookie', 'authorization', 'proxy-authorization']);
  }

  #line(text: string): void {
    const line = `[+${((Date.now() - this.#started) / 1000).toFixed(3)}s] ${text.replace(/\s*\n\s*/g, ' ')}`;
    const cut = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;
    const bytes = Buffer.byteLength(cut);
    if (this.#console.length >= MAX_RECORDS || this.#consoleBytes + bytes > MAX_CONSOLE_BYTES) {
      this.#consoleDropped++;
      return;
    }
    this.#consoleBytes += bytes;
    this.#console.push(cut);
  }

  #record(record: Timed<RequestRecord>): void {
    if (this.#requests.length >= MAX_RECORDS) this.#requestsDropped++;
    else this.#requests.push(record);
  }

  #failed(request: Request): void {
    this.#record({
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
    this.#headers(() => response.allHeaders(), ['set-cookie']);
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
    this.#record({
      at,
      value: { method: record.method, url: `${origin}${path}`, resourceType: record.resourceType, status },
    });
  }
}

/** What one attempt leaves behind for its artifacts (before any scrubbing). */
export interface Evidence {
  /** Full-page PNG taken when the attempt failed, SCREENSHOT_MASK masked. */
  readonly screenshot?: Buffer;
  /** The raw trace in a temporary file: it holds secrets until scrubbed. */
  readonly tracePath?: string;
  readonly consoleLines: readonly string[];
  readonly requests: readonly RequestRecord[];
}

/**
 * What every screenshot covers with a box of MASK_COLOR, in one place: password fields, the
 * signed-in identity (sandbox header, GitLab.com's user menu — guessed test ids —, the sign-in
 * form's username), the card fields in the payment iframe (customersdot-flows.md).
 */
export const SCREENSHOT_MASK = {
  page: [
    'input[type="password"]',
    'input[type="email"]',
    '#user_login',
    '[data-testid="signed-in-as"]',
    '[data-testid="gitlab-user"]',
    '[data-testid="user-menu-toggle"]',
    '[data-testid="user-avatar-content"]',
  ],
  frames: {
    '#z_hppm_iframe': [
      '#input-creditCardNumber',
      '#input-creditCardExpirationMonth',
      '#input-creditCardExpirationYear',
      '#input-cardSecurityCode',
    ],
  },
} as const;
export const MASK_COLOR = '#FF00FF';

/** The locators of SCREENSHOT_MASK on a page. */
export function maskLocators(page: Page): Locator[] {
  return [
    ...SCREENSHOT_MASK.page.map((selector) => page.locator(selector)),
    ...Object.entries(SCREENSHOT_MASK.frames).flatMap(([frame, fields]) =>
      fields.map((selector) => page.frameLocator(frame).locator(selector)),
    ),
  ];
}

/** Bounds on evidence capture: a hung page must not hold the run. */
export const SCREENSHOT_TIMEOUT_MS = 5_000;
const STOP_LOADING_TIMEOUT_MS = 1_000;
export const TRACE_STOP_TIMEOUT_MS = 15_000;
export const COOKIES_TIMEOUT_MS = 2_000;

/**
 * A full-page screenshot with SCREENSHOT_MASK masked; undefined when it cannot be
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
        mask: maskLocators(page),
        maskColor: MASK_COLOR,
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
