import { errors } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { JourneyFailure } from '../../../src/journey/failure.js';
import type { FailureClass } from '../../../src/journey/outcomes.js';
import {
  classify,
  explainingResponse,
  type ClassifyContext,
  type HttpRecord,
} from '../../../src/runner/classify.js';
import {
  BrowserDisconnectedError,
  PageCrashError,
  RunTimeoutError,
  ShutdownAbortError,
  StepContractError,
  StepTimeoutError,
} from '../../../src/runner/classify.js';

const ORIGIN = 'https://customers.example.com';
const ESC = '\u001b';

/** An error shaped like Playwright's: PlaywrightError / TimeoutError carry `name` and `log`. */
function playwrightError(message: string): Error {
  const error = new Error(message);
  return Object.assign(error, { log: [] });
}

/** An error shaped like a failed `expect()` of @playwright/test (ExpectError). */
function expectError(message: string, matcherResult: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { matcherResult });
}

const http = (
  status: number,
  resourceType = 'document',
  origin = ORIGIN,
  path = '/subscriptions',
): HttpRecord => ({
  method: 'GET',
  origin,
  path,
  status,
  resourceType,
});

const ctx = (over: Partial<ClassifyContext> = {}): ClassifyContext => ({
  http: [],
  targetOrigin: ORIGIN,
  browserGone: false,
  redact: (t) => t,
  ...over,
});

const notFound = expectError(
  "expect(locator).toBeVisible() failed\n\nLocator: getByText('Nope')\nExpected: visible\nTimeout: 500ms\nError: element(s) not found\n\nCall log:\n  - waiting for getByText('Nope')\n",
  { pass: false, name: 'toBeVisible', expected: 'visible', timeout: 500, log: [] },
);
const wrongText = expectError(
  `expect(locator).toHaveText(expected) failed\n\nLocator:  locator('h1')\nExpected: ${ESC}[32m"Hello"${ESC}[39m\nReceived: ${ESC}[31m"Welcome"${ESC}[39m\nTimeout:  500ms\n\nCall log:\n  - waiting\n`,
  { name: 'toHaveText', expected: 'Hello', pass: false, actual: 'Welcome', timeout: 500 },
);
const toBeOk = (status: string) =>
  expectError(
    `expect(response).toBeOK() failed\n\n\nCall log:\n→ GET ${ORIGIN}/api/orders?token=abc\n  accept: */*\n← ${status}\n  content-type: text/html\n`,
    { pass: false, name: 'toBeOK' },
  );

const cases: [string, unknown, Partial<ClassifyContext>, FailureClass][] = [
  [
    'JourneyFailure keeps its class',
    new JourneyFailure('payment_declined', 'Your card was declined'),
    {},
    'payment_declined',
  ],
  ['JourneyFailure auth', new JourneyFailure('auth', 'sign-in rejected'), {}, 'auth'],
  [
    'JourneyFailure wins over a 503 seen',
    new JourneyFailure('payment_form', 'form down'),
    { http: [http(503)] },
    'payment_form',
  ],
  [
    'locator.click timeout',
    new errors.TimeoutError(
      "locator.click: Timeout 500ms exceeded.\nCall log:\n  - waiting for locator('#nope')",
    ),
    {},
    'timeout',
  ],
  ['page.goto timeout', new errors.TimeoutError('page.goto: Timeout 30000ms exceeded.'), {}, 'timeout'],
  ['expect: element(s) not found', notFound, {}, 'timeout'],
  ['expect: not found after a document 503', notFound, { http: [http(503)] }, 'http_error'],
  [
    'timeout after an XHR 500',
    new errors.TimeoutError('locator.click: Timeout'),
    { http: [http(500, 'fetch')] },
    'http_error',
  ],
  [
    'timeout after an XHR 404 stays timeout',
    new errors.TimeoutError('locator.click: Timeout'),
    { http: [http(404, 'xhr')] },
    'timeout',
  ],
  [
    'timeout after a 503 image stays timeout',
    new errors.TimeoutError('x: Timeout'),
    { http: [http(503, 'image')] },
    'timeout',
  ],
  [
    'timeout after a 503 of another origin stays timeout',
    notFound,
    { http: [http(503, 'document', 'https://pay.example')] },
    'timeout',
  ],
  ['expect: wrong text', wrongText, {}, 'assertion'],
  ['expect: wrong text on a 502 page', wrongText, { http: [http(502)] }, 'http_error'],
  ['expect: not found on a 401 document', notFound, { http: [http(401)] }, 'auth'],
  [
    'expect: plain value',
    expectError('expect(received).toBe(expected)\n\nExpected: 2\nReceived: 1', {
      actual: 1,
      expected: 2,
      name: 'toBe',
      pass: false,
    }),
    {},
    'assertion',
  ],
  ['toBeOK on a 503', toBeOk('503 Service Unavailable'), {}, 'http_error'],
  ['toBeOK on a 403', toBeOk('403 Forbidden'), {}, 'auth'],
  [
    'connection refused',
    playwrightError('page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/x?secret=1'),
    {},
    'navigation',
  ],
  [
    'empty response',
    playwrightError('page.goto: net::ERR_EMPTY_RESPONSE at http://127.0.0.1:1/close'),
    {},
    'navigation',
  ],
  [
    'DNS',
    playwrightError('page.goto: net::ERR_NAME_NOT_RESOLVED at http://nonexistent.invalid/'),
    {},
    'navigation',
  ],
  [
    'TLS',
    playwrightError('page.goto: net::ERR_CERT_AUTHORITY_INVALID at https://self-signed.example/'),
    {},
    'navigation',
  ],
  [
    'connection reset',
    playwrightError('page.goto: net::ERR_CONNECTION_RESET at http://x/'),
    {},
    'navigation',
  ],
  [
    'HTTP response code failure',
    playwrightError('page.goto: net::ERR_HTTP_RESPONSE_CODE_FAILURE at http://x/'),
    {},
    'http_error',
  ],
  [
    'API request refused',
    Object.assign(playwrightError('apiRequestContext.get: connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    }),
    {},
    'navigation',
  ],
  [
    'context closed',
    playwrightError('page.goto: Target page, context or browser has been closed'),
    {},
    'browser',
  ],
  // DESIGN.md: a tab that crashes while the browser stays up is the target's `page_crash`.
  ['page crashed', playwrightError('page.click: Target crashed'), {}, 'page_crash'],
  [
    'page crashed with the browser',
    playwrightError('page.click: Target crashed'),
    { browserGone: true },
    'browser',
  ],
  ['PageCrashError', new PageCrashError(), {}, 'page_crash'],
  [
    'aborted navigation while the browser went away',
    playwrightError('page.goto: net::ERR_ABORTED at http://x/'),
    { browserGone: true },
    'browser',
  ],
  ['BrowserDisconnectedError', new BrowserDisconnectedError(), {}, 'browser'],
  ['step timeout', new StepTimeoutError('pay', 3000), {}, 'timeout'],
  ['run timeout', new RunTimeoutError(120_000), {}, 'timeout'],
  ['run timeout during a 503', new RunTimeoutError(3000), { http: [http(503)] }, 'http_error'],
  ['shutdown', new ShutdownAbortError(), {}, 'timeout'],
  ['step contract', new StepContractError('steps cannot nest'), {}, 'script'],
  [
    'strict mode violation',
    playwrightError("locator.click: Error: strict mode violation: locator('h1') resolved to 2 elements"),
    {},
    'assertion',
  ],
  [
    'TypeError in journey code',
    new TypeError("Cannot read properties of undefined (reading 'click')"),
    {},
    'script',
  ],
  ['ReferenceError', new ReferenceError('pgae is not defined'), {}, 'script'],
  ['plain Error', new Error('something odd'), {}, 'script'],
  ['a thrown string', 'oops', {}, 'script'],
  [
    'error thrown in the page',
    playwrightError('page.evaluate: TypeError: boom in page\n    at eval'),
    {},
    'script',
  ],
];

describe('classify', () => {
  it.each(cases)('%s', (_label, error, over, expected) => {
    expect(classify(error, ctx(over)).class).toBe(expected);
  });

  it('messages are one line, without ANSI, call log or query strings, and bounded', () => {
    const long = playwrightError(
      `page.goto: net::ERR_CONNECTION_REFUSED at http://h/x?token=s3cret\nCall log:\n${ESC}[2m  - navigating${ESC}[22m\n`,
    );
    const message = classify(long, ctx()).message;
    expect(message).toBe('page.goto: net::ERR_CONNECTION_REFUSED at http://h/x');
    expect(classify(wrongText, ctx()).message).not.toContain(ESC);
    expect(classify(new Error('x'.repeat(1000)), ctx()).message.length).toBeLessThanOrEqual(300);
  });

  it('names the HTTP status and path (no query) when a response explains the failure', () => {
    const message = classify(
      notFound,
      ctx({ http: [http(503, 'document', ORIGIN, '/subscriptions/new')] }),
    ).message;
    expect(message).toMatch(/^HTTP 503 on GET \/subscriptions\/new: /);
    expect(classify(toBeOk('503 Service Unavailable'), ctx()).message).toBe('HTTP 503 on GET /api/orders');
  });

  it('redacts secrets from messages', () => {
    const info = classify(
      new Error('login failed for password hunter2-secret'),
      ctx({ redact: (t) => t.replace('hunter2-secret', '[redacted]') }),
    );
    expect(info.message).toBe('login failed for password [redacted]');
  });

  it('explainingResponse prefers the last relevant response', () => {
    expect(explainingResponse([http(503), http(401)], ORIGIN)?.class).toBe('auth');
    expect(explainingResponse([http(401), http(503)], ORIGIN)?.class).toBe('http_error');
    expect(explainingResponse([http(429, 'xhr')], ORIGIN)?.class).toBe('http_error');
    expect(explainingResponse([http(404, 'document')], ORIGIN)?.class).toBe('http_error');
    expect(explainingResponse([http(422, 'fetch')], ORIGIN)).toBeUndefined();
  });
});
