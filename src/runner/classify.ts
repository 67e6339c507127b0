/**
 * Verdicts: the runner's named reasons for ending an attempt, how anything an attempt threw
 * maps to a failure class (DESIGN.md "Outcomes and failure classes"), and how attempts make
 * the run's outcome. Named error classes let classification work without parsing messages.
 */
import {
  isFailureClass,
  PROBER_CLASSES,
  type AttemptOutcome,
  type FailureClass,
  type Outcome,
} from '../journey/outcomes.js';
import type { FailureInfo } from '../journey/types.js';
import { errorText, toMessage } from './sanitize.js';

/** A step ran longer than its timeout. */
export class StepTimeoutError extends Error {
  override readonly name = 'StepTimeoutError';
  constructor(
    readonly step: string,
    readonly timeoutMs: number,
  ) {
    super(`step "${step}" timed out after ${timeoutMs} ms`);
  }
}

/** The whole attempt ran longer than the journey's `timeoutMs`. */
export class RunTimeoutError extends Error {
  override readonly name = 'RunTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`run timed out after ${timeoutMs} ms (journey timeoutMs)`);
  }
}

/** The prober is shutting down (RunOptions.signal aborted). */
export class ShutdownAbortError extends Error {
  override readonly name = 'ShutdownAbortError';
  constructor() {
    super('run aborted by shutdown');
  }
}

/** The browser or the attempt's context went away without the runner closing it. */
export class BrowserDisconnectedError extends Error {
  override readonly name = 'BrowserDisconnectedError';
  constructor(detail = 'browser context closed unexpectedly (browser crashed or was killed)') {
    super(detail);
  }
}

/**
 * A page of the attempt crashed its tab (out of memory, a renderer bug the page triggers)
 * while the browser stayed up: the target failed, as it would in a customer's browser.
 */
export class PageCrashError extends Error {
  override readonly name = 'PageCrashError';
  constructor() {
    super("the page crashed its tab (the browser stayed up): the target's page broke");
  }
}

/** The journey script broke a rule of the step API (nesting, undeclared or too many names). */
export class StepContractError extends Error {
  override readonly name = 'StepContractError';
}

/** A response of status >= 400 the page saw (recorded by the observer). */
export interface HttpRecord {
  readonly method: string;
  /** Origin of the response URL, e.g. `https://customers.gitlab.com`. */
  readonly origin: string;
  /** Path of the response URL, never its query. */
  readonly path: string;
  readonly status: number;
  /** Playwright's resource type: `document`, `xhr`, `fetch`, `script`, `image`… */
  readonly resourceType: string;
}

export interface ClassifyContext {
  /** Responses >= 400 seen during the failing step (or since the last step ended). */
  readonly http: readonly HttpRecord[];
  /** Origin of the target: only its responses say something about the target. */
  readonly targetOrigin: string;
  /** The browser or the attempt's context went away without the runner closing it. */
  readonly browserGone: boolean;
  readonly redact: (text: string) => string;
}

const BROWSER_GONE =
  /Target page, context or browser has been closed|Browser has been closed|browser has disconnected|Browser closed/i;
const PAGE_CRASHED = /Target crashed|page crashed/i;
const NODE_NETWORK =
  /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE)\b|socket hang up|self[- ]signed certificate|unable to verify the first certificate|CERT_HAS_EXPIRED|ERR_TLS_CERT/i;
const NET_ERROR = /net::ERR_[A-Z_]+/;
const TO_BE_OK_STATUS = /←\s*(\d{3})\b/;
const TO_BE_OK_URL = /→\s*([A-Z]+)\s+(\S+)/;

/**
 * Which recorded response, if any, explains a failure, and as what.
 * Policy: on the target's origin, a document response 401/403 is `auth` and any other
 * >= 400 is `http_error` (a journey never navigates to a page that should not exist);
 * an XHR/fetch response 5xx or 429 is `http_error`, other 4xx are ignored (apps probe
 * endpoints and show validation errors with them); sub-resources (images, scripts,
 * styles, fonts) and other origins are ignored. The last such response wins.
 */
export function explainingResponse(
  http: readonly HttpRecord[],
  targetOrigin: string,
): { readonly class: FailureClass; readonly record: HttpRecord } | undefined {
  for (let i = http.length - 1; i >= 0; i--) {
    const record = http[i]!;
    if (record.origin !== targetOrigin) continue;
    if (record.resourceType === 'document') {
      if (record.status === 401 || record.status === 403) return { class: 'auth', record };
      if (record.status >= 400) return { class: 'http_error', record };
    } else if (record.resourceType === 'xhr' || record.resourceType === 'fetch') {
      if (record.status >= 500 || record.status === 429) return { class: 'http_error', record };
    }
  }
  return undefined;
}

const httpMessage = (status: number, method: string, path: string): string =>
  `HTTP ${status} on ${method} ${path}`;

interface MatcherResult {
  readonly name?: unknown;
  readonly actual?: unknown;
  readonly timeout?: unknown;
}

function matcherResultOf(error: unknown): MatcherResult | undefined {
  if (typeof error !== 'object' || error === null || !('matcherResult' in error)) return undefined;
  const result = error.matcherResult;
  return typeof result === 'object' && result !== null ? result : undefined;
}

/** `expect(response).toBeOK()` failures carry the response's status and URL in their log. */
function toBeOkFailure(text: string, redact: (t: string) => string): FailureInfo | undefined {
  const status = TO_BE_OK_STATUS.exec(text);
  if (!status) return undefined;
  const code = Number(status[1]);
  const request = TO_BE_OK_URL.exec(text);
  let path = '(unknown)';
  try {
    if (request) path = new URL(request[2]!).pathname;
  } catch {
    /* keep unknown */
  }
  const cls: FailureClass = code === 401 || code === 403 ? 'auth' : code >= 400 ? 'http_error' : 'assertion';
  return { class: cls, message: toMessage(httpMessage(code, request?.[1] ?? 'GET', path), redact) };
}

/**
 * Maps anything a journey attempt threw to a failure class and a one-line message
 * (DESIGN.md "Outcomes and failure classes"). Pure: what the page saw is passed in.
 */
export function classify(error: unknown, context: ClassifyContext): FailureInfo {
  const text = errorText(error);
  const info = (cls: FailureClass, raw = text): FailureInfo => ({
    class: cls,
    message: toMessage(raw, context.redact),
  });
  // A timeout or a missing element after the server failed says "the server failed".
  const orHttp = (fallback: FailureClass): FailureInfo => {
    const explained = explainingResponse(context.http, context.targetOrigin);
    if (!explained) return info(fallback);
    const { record } = explained;
    return info(explained.class, `${httpMessage(record.status, record.method, record.path)}: ${text}`);
  };

  if (error instanceof Error && error.name === 'JourneyFailure') {
    const failureClass: unknown = (error as { failureClass?: unknown }).failureClass;
    if (isFailureClass(failureClass)) return info(failureClass);
  }
  if (error instanceof ShutdownAbortError) return info('timeout');
  if (error instanceof StepContractError) return info('script');
  // A crashed tab is the page's doing, unless the whole browser went away with it.
  if (!context.browserGone && (error instanceof PageCrashError || PAGE_CRASHED.test(text))) {
    return info('page_crash');
  }
  if (
    error instanceof BrowserDisconnectedError ||
    context.browserGone ||
    BROWSER_GONE.test(text) ||
    PAGE_CRASHED.test(text)
  ) {
    return info('browser', error instanceof BrowserDisconnectedError ? text : `browser went away: ${text}`);
  }
  if (error instanceof StepTimeoutError || error instanceof RunTimeoutError) return orHttp('timeout');
  if (error instanceof Error && error.name === 'TimeoutError') return orHttp('timeout');

  const matcher = matcherResultOf(error);
  if (matcher) {
    if (matcher.name === 'toBeOK') return toBeOkFailure(text, context.redact) ?? orHttp('assertion');
    const notFound =
      text.includes('element(s) not found') ||
      (matcher.actual === undefined && matcher.timeout !== undefined);
    return orHttp(notFound ? 'timeout' : 'assertion');
  }

  const net = NET_ERROR.exec(text);
  if (net) return info(net[0] === 'net::ERR_HTTP_RESPONSE_CODE_FAILURE' ? 'http_error' : 'navigation');
  if (NODE_NETWORK.test(text)) return info('navigation');
  // An ambiguous locator: the page no longer looks the way the journey expects.
  if (/strict mode violation/.test(text)) return orHttp('assertion');
  return info('script', error instanceof Error && error.name !== 'Error' ? `${error.name}: ${text}` : text);
}

/** An attempt's verdict: what outcome derivation needs of it. */
export interface AttemptVerdict {
  readonly outcome: AttemptOutcome;
  /** Time the journey itself took (account, steps and the code between them). */
  readonly journeyMs: number;
}

/** `script` and `browser` say the prober failed: the attempt is an `error`. */
export function attemptOutcomeOf(failureClass: FailureClass | undefined): AttemptOutcome {
  if (failureClass === undefined) return 'success';
  return PROBER_CLASSES.has(failureClass) ? 'error' : 'failure';
}

/**
 * The run's outcome from its attempts (DESIGN.md "Outcomes"): the last attempt decides;
 * a pass after a failed attempt is `flaky`, which wins over `degraded` (a pass slower than
 * the latency budget); a run aborted by shutdown is an `error` whatever its attempts say.
 */
export function deriveOutcome(
  attempts: readonly AttemptVerdict[],
  options: { readonly latencyBudgetMs?: number; readonly aborted?: boolean } = {},
): Outcome {
  const last = attempts.at(-1);
  if (options.aborted || last === undefined) return 'error';
  if (last.outcome !== 'success') return last.outcome;
  if (attempts.some((a) => a.outcome !== 'success')) return 'flaky';
  if (options.latencyBudgetMs !== undefined && last.journeyMs > options.latencyBudgetMs) return 'degraded';
  return 'success';
}
