import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJourney, expect as pwExpect, fail, Secret } from '../../../src/index.js';
import type { JourneyDefinition, RunContext, TargetInfo } from '../../../src/journey/types.js';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { runJourney } from '../../../src/runner/run-journey.js';
import type { RunOptions } from '../../../src/runner/types.js';
import { silentLogger, testPool } from '../helpers/browser.js';
import { refusedPort, startTestSite, type TestSite } from '../helpers/test-site.js';

let site: TestSite;
let pool: BrowserPool;
let target: TargetInfo;

beforeAll(async () => {
  site = await startTestSite();
  pool = testPool();
  await pool.launch();
  target = { name: 'local', baseUrl: site.origin, allowPurchases: true, params: {} };
});

afterAll(async () => {
  await pool?.close();
  await site?.close();
});

const journey = (
  name: string,
  run: (ctx: RunContext) => Promise<void>,
  extra: Partial<JourneyDefinition> = {},
) =>
  defineJourney({
    name,
    description: `test ${name}`,
    stepTimeoutMs: 8_000,
    timeoutMs: 30_000,
    run,
    ...extra,
  });

const options = (over: Partial<RunOptions> = {}): RunOptions => ({
  browser: pool,
  accounts: () => Promise.resolve({ email: 'qa@example.com', password: new Secret(site.password) }),
  log: silentLogger(),
  ...over,
});

const visit = (path: string, expectText = 'Welcome') =>
  journey('visit', async ({ page, step, target: t }) => {
    await step('open', async () => {
      await page.goto(`${t.baseUrl}${path}`);
      await pwExpect(page.getByRole('heading', { name: expectText })).toBeVisible({ timeout: 2_000 });
    });
  });

describe('runJourney against real Chromium: each failure class for real', () => {
  it('success: steps timed, the synthetic-journey header sent', async () => {
    const result = await runJourney(visit('/ok'), target, options({ runId: 'run-ok' }));
    expect(result).toMatchObject({
      outcome: 'success',
      attempts: 1,
      attemptOutcomes: ['success'],
      runId: 'run-ok',
    });
    expect(result.failure).toBeUndefined();
    expect(result.steps).toEqual([expect.objectContaining({ name: 'open', outcome: 'success' })]);
    expect(result.steps[0]!.durationMs).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(result.steps[0]!.durationMs);
    expect(site.journeyHeaders).toContain('visit/run-ok');
  });

  it('http_error: a 503 page, then the expected heading never appears', async () => {
    const result = await runJourney(visit('/status/503'), target, options());
    expect(result.outcome).toBe('failure');
    expect(result.failure).toMatchObject({ step: 'open', class: 'http_error' });
    expect(result.failure!.message).toMatch(/^HTTP 503 on GET \/status\/503/);
  });

  it('http_error: a failing XHR (500) behind a page that never finishes loading its data', async () => {
    const result = await runJourney(visit('/xhr-fail', 'Loaded'), target, options());
    expect(result.failure).toMatchObject({ class: 'http_error' });
    expect(result.failure!.message).toContain('HTTP 500 on GET /api/fail');
    expect(result.failure!.message).not.toContain('token=');
  });

  it('timeout: a locator that never appears', async () => {
    const result = await runJourney(visit('/ok', 'Never there'), target, options());
    expect(result.outcome).toBe('failure');
    expect(result.failure).toMatchObject({ step: 'open', class: 'timeout' });
  });

  it('timeout: a step that outlives its own timeout, bounded', async () => {
    const j = journey('slow-step', async ({ page, step, target: t }) => {
      await step('hang', () => page.goto(`${t.baseUrl}/hang`), { timeoutMs: 1_000 });
    });
    const started = performance.now();
    const result = await runJourney(j, target, options());
    expect(result.failure).toMatchObject({ step: 'hang', class: 'timeout' });
    expect(result.steps[0]!.durationMs).toBeGreaterThanOrEqual(990);
    expect(result.steps[0]!.durationMs).toBeLessThan(1_000 + 1_500);
    expect(performance.now() - started).toBeLessThan(1_000 + 5_000);
  });

  it('assertion: wrong text (a missing heading, by contrast, is a timeout)', async () => {
    const missing = await runJourney(visit('/wrong-text'), target, options());
    expect(missing.failure).toMatchObject({ step: 'open', class: 'timeout' });
    const j = journey('text', async ({ page, step, target: t }) => {
      await step('check', async () => {
        await page.goto(`${t.baseUrl}/wrong-text`);
        await pwExpect(page.locator('h1')).toHaveText('Welcome', { timeout: 1_000 });
      });
    });
    const second = await runJourney(j, target, options());
    expect(second.failure).toMatchObject({ step: 'check', class: 'assertion' });
    expect(second.failure!.message).toContain('Received: "Goodbye"');
  });

  it('navigation: connection refused', async () => {
    const port = await refusedPort();
    const result = await runJourney(
      visit('/ok'),
      { ...target, baseUrl: `http://127.0.0.1:${port}` },
      options(),
    );
    expect(result.outcome).toBe('failure');
    expect(result.failure).toMatchObject({ step: 'open', class: 'navigation' });
    expect(result.failure!.message).toContain('ERR_CONNECTION_REFUSED');
  });

  it('navigation: the server closes the socket without answering', async () => {
    const result = await runJourney(visit('/close-socket'), target, options());
    expect(result.failure).toMatchObject({ class: 'navigation' });
    expect(result.failure!.message).toContain('ERR_EMPTY_RESPONSE');
  });

  it('auth: a JourneyFailure, and a 401 document behind a missing element', async () => {
    const j = journey('sign-in-check', async ({ page, step, target: t }) => {
      await step('account page', async () => {
        const response = await page.goto(`${t.baseUrl}/account`);
        if (response?.status() === 401) fail('auth', 'not signed in');
      });
    });
    const result = await runJourney(j, target, options());
    expect(result).toMatchObject({
      outcome: 'failure',
      failure: { step: 'account page', class: 'auth', message: 'not signed in' },
    });
    const implicit = await runJourney(visit('/account', 'Signed in'), target, options());
    expect(implicit.failure).toMatchObject({ class: 'auth' });
  });

  it('script: a TypeError in journey code is an error, inside or outside a step', async () => {
    const inStep = journey('typo', async ({ step }) => {
      await step('broken', () => {
        const missing = undefined as unknown as { click(): Promise<void> };
        return missing.click();
      });
    });
    const result = await runJourney(inStep, target, options());
    expect(result).toMatchObject({ outcome: 'error', failure: { step: 'broken', class: 'script' } });
    expect(result.steps[0]).toMatchObject({ outcome: 'error' });
    const outside = journey('between-steps', async ({ step }) => {
      await step('fine', () => Promise.resolve());
      JSON.parse('{not json');
    });
    const second = await runJourney(outside, target, options());
    expect(second).toMatchObject({ outcome: 'error', failure: { step: 'journey', class: 'script' } });
  });

  it('precondition: the account provider throws; no browser work happens', async () => {
    const before = site.requests.length;
    const result = await runJourney(
      visit('/ok'),
      target,
      options({ accounts: () => Promise.reject(new Error('no renewable account left')) }),
    );
    expect(result).toMatchObject({ outcome: 'failure', failure: { step: 'account', class: 'precondition' } });
    expect(result.failure!.message).toContain('no renewable account left');
    expect(site.requests.length).toBe(before);
  });

  it('declared steps: unreached ones are skipped, an undeclared name is a script error', async () => {
    const j = journey(
      'declared',
      async ({ page, step, target: t }) => {
        await step('one', () => page.goto(`${t.baseUrl}/ok`).then(() => undefined));
        await step('surprise', () => Promise.resolve());
      },
      { steps: ['one', 'two', 'three'] },
    );
    const result = await runJourney(j, target, options());
    expect(result).toMatchObject({ outcome: 'error', failure: { step: 'journey', class: 'script' } });
    expect(result.steps.map((s) => [s.name, s.outcome])).toEqual([
      ['one', 'success'],
      ['two', 'skipped'],
      ['three', 'skipped'],
    ]);
  });
});

describe('runJourney: retries, bounds, cleanups, hooks', () => {
  it('flaky: the first attempt meets a 503, the retry passes', async () => {
    const result = await runJourney(visit(`/flaky/${Date.now()}`), target, options({ retries: 2 }));
    expect(result).toMatchObject({ outcome: 'flaky', attempts: 2, attemptOutcomes: ['failure', 'success'] });
    expect(result.failure).toBeUndefined();
  });

  it('a failure retried until retries run out stays a failure', async () => {
    const result = await runJourney(visit('/wrong-text'), target, options({ retries: 1 }));
    expect(result).toMatchObject({
      outcome: 'failure',
      attempts: 2,
      attemptOutcomes: ['failure', 'failure'],
    });
  });

  it('degraded: a pass slower than the latency budget', async () => {
    const result = await runJourney(visit('/slow?ms=400'), target, options({ latencyBudgetMs: 100 }));
    expect(result.outcome).toBe('degraded');
  });

  it('a whole-run timeout ends the run on time even when journey code ignores it', async () => {
    const j = journey(
      'hang-run',
      async ({ page, target: t }) => {
        await page.goto(`${t.baseUrl}/hang`, { timeout: 0 }).catch(() => undefined);
        await new Promise<void>(() => undefined); // user code that never settles
      },
      { timeoutMs: 3_000, stepTimeoutMs: 3_000 },
    );
    const started = performance.now();
    const result = await runJourney(j, target, options());
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ outcome: 'failure', failure: { step: 'journey', class: 'timeout' } });
    expect(elapsed).toBeGreaterThanOrEqual(2_900);
    expect(elapsed).toBeLessThan(3_000 + 2_500);
  });

  it('shutdown: an abort ends the run as error/timeout without retrying', async () => {
    const controller = new AbortController();
    const j = journey('wait', async ({ page, step, target: t }) => {
      await step('hang', () => page.goto(`${t.baseUrl}/hang`).then(() => undefined));
    });
    const hangsBefore = site.requests.filter((p) => p === '/hang').length;
    const pending = runJourney(j, target, options({ retries: 3, signal: controller.signal }));
    // Abort once the page is waiting on the hanging server (bounded poll: 60 s, for a loaded machine's browser start).
    for (let i = 0; i < 1_200 && site.requests.filter((p) => p === '/hang').length === hangsBefore; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({
      outcome: 'error',
      attempts: 1,
      failure: { step: 'hang', class: 'timeout' },
    });
    expect(result.failure!.message).toContain('aborted by shutdown');
  });

  it('cleanups run in reverse order even on failure; a failing one is counted, not fatal', async () => {
    const order: string[] = [];
    const j = journey('cleanups', async ({ step, cleanup, annotate, safeMode }) => {
      annotate('safeMode', safeMode);
      cleanup('first', () => Promise.resolve(void order.push('first')));
      cleanup('broken', () => Promise.reject(new Error('cannot cancel order')));
      cleanup('last', () => Promise.resolve(void order.push('last')));
      await step('fails', () => Promise.reject(new Error('nope')));
    });
    const result = await runJourney(j, target, options());
    expect(order).toEqual(['last', 'first']);
    expect(result).toMatchObject({ outcome: 'error', cleanupFailures: 1, annotations: { safeMode: false } });
  });

  it('safe mode: a mutating journey on a target that forbids purchases', async () => {
    let seen: boolean | undefined;
    const j = journey('buy', ({ safeMode }) => Promise.resolve(void (seen = safeMode)), { mutates: true });
    const result = await runJourney(j, { ...target, allowPurchases: false }, options());
    expect(seen).toBe(true);
    expect(result.safeMode).toBe(true);
  });

  it('hooks see attempts and steps in order; a throwing hook changes nothing', async () => {
    const events: string[] = [];
    const result = await runJourney(
      visit('/ok'),
      target,
      options({
        hooks: {
          onAttemptStart: (i) => void events.push(`attempt ${i.attempt}`),
          onStepStart: (i) => {
            events.push(`start ${i.step}`);
            throw new Error('hook bug');
          },
          onStepEnd: (i) => void events.push(`end ${i.step.name} ${i.step.outcome}`),
          onAttemptEnd: (i) => void events.push(`attempt end ${i.outcome}`),
        },
      }),
    );
    expect(result.outcome).toBe('success');
    expect(events).toEqual(['attempt 1', 'start open', 'end open success', 'attempt end success']);
  });
});
