import type { BrowserContext, Route } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import {
  AttemptTrace,
  newSpanId,
  newTraceId,
  originPattern,
  targetOrigins,
  traceparent,
  TRACE_ID_PATTERN,
} from '../../../src/runner/trace-context.js';

// W3C Trace Context level 1, version 00: version-traceid-parentid-flags, lowercase hex.
const W3C = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

describe('the traceparent header', () => {
  it('has version 00, a 16-byte trace id, an 8-byte parent id and the sampled flag', () => {
    const traceId = newTraceId();
    const spanId = newSpanId();
    const header = traceparent(traceId, spanId);
    expect(header).toMatch(W3C);
    expect(header).toBe(`00-${traceId}-${spanId}-01`);
    expect(traceId).toMatch(TRACE_ID_PATTERN);
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('ids are random and never all zeros (invalid in the spec)', () => {
    const traces = new Set(Array.from({ length: 200 }, newTraceId));
    const spans = new Set(Array.from({ length: 200 }, newSpanId));
    expect(traces.size).toBe(200);
    expect(spans.size).toBe(200);
    expect([...traces].some((t) => /^0+$/.test(t))).toBe(false);
    expect([...spans].some((s) => /^0+$/.test(s))).toBe(false);
  });
});

describe('the origin rule: the target origins, never a third party', () => {
  const sandbox = { baseUrl: 'http://127.0.0.1:4100', gitlabUrl: 'http://127.0.0.1:4102/' };
  const production = { baseUrl: 'https://customers.gitlab.com/', gitlabUrl: 'https://gitlab.com' };

  it("the portal's and GitLab.com's origins, without paths, once each", () => {
    expect(targetOrigins(sandbox)).toEqual(['http://127.0.0.1:4100', 'http://127.0.0.1:4102']);
    expect(targetOrigins(production)).toEqual(['https://customers.gitlab.com', 'https://gitlab.com']);
    expect(targetOrigins({ baseUrl: 'https://portal.test/app/', gitlabUrl: 'https://portal.test' })).toEqual([
      'https://portal.test',
    ]);
    expect(targetOrigins({ baseUrl: 'https://portal.test:443/x' })).toEqual(['https://portal.test']);
    expect(targetOrigins({ baseUrl: 'not a url', gitlabUrl: 'file:///etc/passwd' })).toEqual([]);
  });

  const cases: readonly [string, typeof sandbox, string, boolean][] = [
    ['portal page', sandbox, 'http://127.0.0.1:4100/subscriptions', true],
    ['portal API with a query', sandbox, 'http://127.0.0.1:4100/api/orders?x=1', true],
    ['portal root', sandbox, 'http://127.0.0.1:4100/', true],
    ['GitLab.com origin', sandbox, 'http://127.0.0.1:4102/oauth/authorize?client_id=a', true],
    ['payment provider: same host, other port', sandbox, 'http://127.0.0.1:4101/hpm/page', false],
    ['a port that only starts with the portal port', sandbox, 'http://127.0.0.1:41000/', false],
    ['host that starts with the portal origin', sandbox, 'http://127.0.0.1:4100.evil.test/', false],
    ['user info that spells the portal origin', sandbox, 'http://127.0.0.1:4100@evil.test/', false],
    ['production portal', production, 'https://customers.gitlab.com/subscriptions/new', true],
    ['production GitLab.com', production, 'https://gitlab.com/users/sign_in', true],
    ['a subdomain of GitLab.com is another origin', production, 'https://assets.gitlab.com/app.js', false],
    ['plain http to the portal is another origin', production, 'http://customers.gitlab.com/', false],
    ['a look-alike domain', production, 'https://gitlab.com.evil.test/', false],
    ['the payment provider', production, 'https://apisandbox.zuora.com/apps/PublicHostedPage.do', false],
    ['a font CDN', production, 'https://fonts.gstatic.com/s/x.woff2', false],
    ['a data URL', production, 'data:text/plain,https://gitlab.com/', false],
  ];
  for (const [what, target, url, tagged] of cases) {
    it(`${tagged ? 'tags' : 'does not tag'} ${what}`, () => {
      expect(originPattern(targetOrigins(target)).test(url)).toBe(tagged);
    });
  }

  it('a target with no usable origin tags nothing', () => {
    expect(originPattern([]).test('http://127.0.0.1:4100/')).toBe(false);
    expect(originPattern([]).test('')).toBe(false);
  });
});

describe('AttemptTrace', () => {
  const attempt = {
    journey: { name: 'purchase' },
    target: { baseUrl: 'http://127.0.0.1:4100', gitlabUrl: 'http://127.0.0.1:4102' },
    runId: 'run-1',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  };

  it('one trace id; the attempt span between steps, one span per step', () => {
    let running: object | undefined;
    const trace = new AttemptTrace(attempt, () => running);
    const idle = trace.headers();
    expect(idle).toEqual({
      'x-synthetic-journey': 'purchase/run-1',
      traceparent: `00-${attempt.traceId}-${trace.spanId}-01`,
    });
    const signIn = { name: 'sign in', start: 0 };
    running = signIn;
    const first = trace.headers().traceparent;
    expect(trace.headers().traceparent).toBe(first);
    running = { name: 'sign in', start: 1 }; // the same name again: another step, another span
    const again = trace.headers().traceparent;
    running = undefined;
    expect(trace.headers()).toEqual(idle);
    const spans = [idle.traceparent, first, again].map((h) => W3C.exec(h!)!);
    expect(spans.map((m) => m[1])).toEqual([attempt.traceId, attempt.traceId, attempt.traceId]);
    expect(new Set(spans.map((m) => m[2])).size).toBe(3);
    expect(trace.spanOf(signIn)).toBe(spans[1]![2]);
  });

  it('two attempts of one run share the trace and have their own spans', () => {
    const a = new AttemptTrace(attempt, () => undefined);
    const b = new AttemptTrace(attempt, () => undefined);
    expect(a.spanId).not.toBe(b.spanId);
    expect(W3C.exec(a.headers().traceparent!)![1]).toBe(W3C.exec(b.headers().traceparent!)![1]);
  });

  it("routes the target's origins only, adding the headers to the request's own", async () => {
    const routes: { pattern: RegExp; handler: (route: Route) => unknown }[] = [];
    const context = {
      route: (pattern: RegExp, handler: (route: Route) => unknown) => {
        routes.push({ pattern, handler });
        return Promise.resolve();
      },
    } as unknown as BrowserContext;
    const trace = new AttemptTrace(attempt, () => undefined);
    await trace.install(context);
    expect(routes).toHaveLength(1);
    const { pattern, handler } = routes[0]!;
    expect(pattern.test('http://127.0.0.1:4100/subscriptions')).toBe(true);
    expect(pattern.test('http://127.0.0.1:4102/users/sign_in')).toBe(true);
    expect(pattern.test('http://127.0.0.1:4101/hpm/page')).toBe(false);
    const fallbacks: unknown[] = [];
    const route = {
      request: () => ({ headers: () => ({ accept: 'text/html', 'user-agent': 'QA' }) }),
      fallback: (options: unknown) => void fallbacks.push(options),
    } as unknown as Route;
    await handler(route);
    expect(fallbacks).toEqual([
      {
        headers: {
          accept: 'text/html',
          'user-agent': 'QA',
          'x-synthetic-journey': 'purchase/run-1',
          traceparent: `00-${attempt.traceId}-${trace.spanId}-01`,
        },
      },
    ]);
  });
});
