import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect as pwExpect, type BrowserContext, type Locator } from '@playwright/test';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/index.js';
import type { Journey, RunResult, TargetInfo } from '../../../src/journey/types.js';
import { openResults, type RunResults } from '../../../src/results/results.js';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { runJourney } from '../../../src/runner/run-journey.js';
import { BasicAuth } from '../../../src/server/auth.js';
import { createApp, startHttpServer, type HttpServer } from '../../../src/server/http.js';
import { statusRoutes, type StatusRoutesOptions } from '../../../src/status/routes.js';
import { scheduleInfos } from '../../../src/status/series.js';
import { rawRequest } from '../../unit/artifacts/raw-http.js';
import { silentLogger, testPool } from '../helpers/browser.js';
import { startTestSite, type TestSite } from '../helpers/test-site.js';
import { checkoutJourney, flakyJourney, signInJourney } from './fixture.js';
import { findLeaks, scanTree } from './leak-scan.js';

/** The README's screenshots are refreshed only when asked: a test run leaves the checkout as it was. */
const DOCS_IMG =
  process.env.UPDATE_DOCS_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../../docs/img/', import.meta.url))
    : mkdtempSync(join(tmpdir(), 'prober-status-shots-'));

let site: TestSite;
let pool: BrowserPool;
let base: string;
let artifactsDir: string;
let resultsPath: string;
let results: RunResults;
let server: HttpServer;
let origin: string;
let context: BrowserContext;
const runs: RunResult[] = [];
/** Every body served during the test, by URL: scanned for secrets at the end. */
const served = new Map<string, Buffer>();

async function fetchBody(url: string): Promise<{ status: number; type: string; body: Buffer }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  const body = Buffer.from(await res.arrayBuffer());
  served.set(url, body);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body };
}

beforeAll(async () => {
  site = await startTestSite();
  pool = testPool();
  await pool.launch();
  base = await mkdtemp(join(tmpdir(), 'status-e2e-'));
  artifactsDir = join(base, 'artifacts');
  resultsPath = join(base, 'results', 'runs.jsonl');
  results = await openResults({ path: resultsPath, maxBytes: 10 * 1024 * 1024, retainRuns: 1000 });
  const target: TargetInfo = { name: 'test-site', baseUrl: site.origin, allowPurchases: true, params: {} };
  const runOnce = async (journey: Journey, retries = 0): Promise<void> => {
    const result = await runJourney(journey, target, {
      browser: pool,
      accounts: () => Promise.resolve({ email: 'oncall@example.com', password: new Secret(site.password) }),
      log: silentLogger(),
      artifactsDir,
      trace: 'retain-on-failure',
      retries,
    });
    runs.push(result);
    await results.add(result);
  };
  // checkout: three passes, then two failures after sign-in (failing since the 4th run).
  let failing = false;
  const checkout = checkoutJourney(() => failing);
  for (let i = 0; i < 3; i++) await runOnce(checkout);
  failing = true;
  for (let i = 0; i < 2; i++) await runOnce(checkout);
  await runOnce(signInJourney);
  await runOnce(signInJourney);
  await runOnce(flakyJourney, 1);

  const entries = [checkout, signInJourney, flakyJourney].map((j) => ({
    id: `${j.name}@test-site`,
    journey: j,
    target: 'test-site',
    cron: '*/5 * * * *',
    timezone: undefined,
  }));
  server = await startStatus({
    runs: results,
    artifactsDir,
    now: () => Date.now(),
    schedules: scheduleInfos(entries),
  });
  origin = server.url;
  context = await pool.newContext({ viewport: { width: 1280, height: 900 } });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  await results?.close();
  await pool?.close();
  await site?.close();
  if (base) await rm(base, { recursive: true, force: true });
});

describe('the runs behind the pages', () => {
  it('are what the scenario intends', () => {
    expect(runs.map((r) => `${r.journey}:${r.outcome}`)).toEqual([
      'checkout:success',
      'checkout:success',
      'checkout:success',
      'checkout:failure',
      'checkout:failure',
      'sign-in:success',
      'sign-in:success',
      'renew-banner:flaky',
    ]);
    expect(site.sessions.length).toBeGreaterThanOrEqual(8);
  });
});

describe('status page in Chromium', () => {
  it('shows each journey × target with its state and numbers', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    const row = (journey: string) =>
      page.locator('tbody tr', { has: page.locator(`a[href="/journeys/${journey}?target=test-site"]`) });
    await pwVisible(row('checkout'));
    const checkout = row('checkout');
    await expectText(checkout.locator('td[data-label="state"]'), /failing\s*since .* · 2 runs/);
    await expectText(checkout.locator('td[data-label="success"]'), /1h 60\.0 %/);
    await expectText(checkout.locator('td[data-label="last run"]'), /http_error at “load plan”/);
    await expectText(checkout.locator('td[data-label="schedule"]'), /\*\/5 \* \* \* \*\s*next in/);
    await expectText(row('sign-in').locator('td[data-label="state"]'), /passing/);
    await expectText(row('sign-in').locator('td[data-label="success"]'), /1h 100 %/);
    await expectText(row('renew-banner').locator('td[data-label="state"]'), /flaky/);
    expect(await checkout.locator('svg.spark circle').count()).toBe(2);
    await page.screenshot({ path: join(DOCS_IMG, 'status-page.png'), fullPage: true });
    await page.close();
  });

  it('the journey page shows the failing step, class, message, screenshot, console errors and failed requests', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/journeys/checkout?target=test-site`);
    const failure = page.locator('section.failure').first();
    await expectText(failure, /step\s*load plan/);
    await expectText(failure, /class\s*http_error/);
    await expectText(failure, /HTTP 500 on GET \/api\/fail/);
    await expectText(
      failure.locator('pre'),
      /Failed to load resource: the server responded with a status of 500/,
    );
    await expectText(failure.locator('table'), /GET\s*http:\/\/127\.0\.0\.1:\d+\/api\/fail\s*500/);
    await expectText(failure, /npx playwright show-trace trace\.zip/);
    const img = failure.locator('img');
    await pwVisible(img);
    // The browser decoded the screenshot served from /artifacts/ (it is a real PNG).
    await page.waitForFunction(
      "document.querySelector('section.failure img')?.naturalWidth > 100",
      undefined,
      {
        timeout: 5_000,
      },
    );
    expect(await page.locator('table.rows > tbody > tr').count()).toBe(5);
    expect(await page.locator('.bar span.st-failure').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(DOCS_IMG, 'status-journey.png'), fullPage: true });
    await page.close();
  });

  it('is readable on a phone (no horizontal scroll)', async () => {
    const phone = await pool.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      deviceScaleFactor: 2,
    });
    try {
      const page = await phone.newPage();
      await page.goto(`${origin}/`);
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow).toBeLessThanOrEqual(1);
      await page.screenshot({ path: join(DOCS_IMG, 'status-phone.png') });
      // The journey page's runs list too, with each run's trace id (short; the full one its title).
      await page.goto(`${origin}/journeys/checkout?target=test-site`);
      const newest = runs.filter((r) => r.journey === 'checkout').at(-1)!;
      expect(newest.traceId).toMatch(/^[0-9a-f]{32}$/);
      const traceCell = page.locator('table.rows > tbody > tr').first().getByTestId('run-trace-id');
      await pwExpect(traceCell).toBeVisible({ timeout: 5_000 });
      await pwExpect(traceCell).toHaveText(newest.traceId!.slice(0, 8));
      await pwExpect(traceCell).toHaveAttribute('title', newest.traceId!);
      const journeyOverflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(journeyOverflow).toBeLessThanOrEqual(1);
    } finally {
      await phone.close();
    }
  });

  it('every link and image on /, the journey pages and the run pages answers 200', async () => {
    const page = await context.newPage();
    const seen = new Set<string>();
    const toVisit = [`${origin}/`];
    const pages = new Set<string>();
    for (let i = 0; i < toVisit.length && i < 200; i++) {
      const url = toVisit[i]!;
      pages.add(url);
      await page.goto(url);
      const targets: string[] = [];
      for (const el of await page.locator('a[href], img[src]').all()) {
        const ref = (await el.getAttribute('href')) ?? (await el.getAttribute('src')) ?? '';
        targets.push(new URL(ref, page.url()).href);
      }
      for (const t of targets) {
        if (seen.has(t)) continue;
        seen.add(t);
        expect(t.startsWith(origin), t).toBe(true);
        const { status } = await fetchBody(t);
        expect(status, t).toBe(200);
        const path = new URL(t).pathname;
        if (path.startsWith('/journeys/') || path.startsWith('/runs/')) toVisit.push(t);
      }
    }
    expect([...pages].filter((u) => u.includes('/runs/')).length).toBe(runs.length);
    expect(
      [...seen].filter((u) => u.includes('/artifacts/') && u.endsWith('trace.zip')).length,
    ).toBeGreaterThanOrEqual(3);
    await fetchBody(`${origin}/api/runs?limit=500`);
    await page.close();
  });
});

describe('from the overview to the trace, in Chromium', () => {
  const steps = ['sign in', 'open account', 'load plan'];

  /** Overview → the failing journey's last run → Playwright's trace viewer on that run. */
  async function overviewToTrace(ctx: BrowserContext, shot?: string): Promise<void> {
    const page = await ctx.newPage();
    try {
      await page.goto(`${origin}/`);
      // Failing rows come first.
      await expectText(page.locator('tbody tr').first(), /checkout/);
      const lastRun = page.locator('tbody tr').first().locator('td[data-label="last run"] a');
      await lastRun.click();
      await pwExpect(page).toHaveURL(/\/runs\/[^/]+$/, { timeout: 5_000 });
      await expectText(page.locator('h1'), /checkout · test-site/);
      await page.getByRole('link', { name: 'open trace' }).click();
      await pwExpect(page).toHaveURL(/\/trace\/index\.html\?trace=%2Fartifacts%2F/, { timeout: 5_000 });
      // The viewer's action list: one expandable group per journey step (tracing.group).
      for (const step of steps) {
        const title = page.locator('.action-title-method', { hasText: new RegExp(`^${step}$`) });
        const group = page.locator('[role="treeitem"][aria-expanded]', { has: title });
        await pwExpect(group.first()).toBeVisible({ timeout: 30_000 });
      }
      if (shot) await page.screenshot({ path: join(DOCS_IMG, shot) });
    } finally {
      await page.close();
    }
  }

  it("one click to the run, one click into the trace viewer showing the run's steps as groups", async () => {
    await overviewToTrace(context, 'status-trace.png');
  }, 90_000);

  it('the same on a 390 px wide phone', async () => {
    const phone = await pool.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      await overviewToTrace(phone);
    } finally {
      await phone.close();
    }
  }, 90_000);
});

describe('artifacts over real HTTP', () => {
  it('path traversal attempts are all 4xx', async () => {
    await writeFile(join(base, 'outside.txt'), 'OUTSIDE');
    await symlink(join(base, 'outside.txt'), join(artifactsDir, 'escape.txt'));
    const run = runs.find((r) => r.outcome === 'failure')!;
    const rel = run.artifacts!.dir.slice(artifactsDir.length + 1);
    const attempts = [
      '/artifacts/../outside.txt',
      '/artifacts/%2e%2e/outside.txt',
      '/artifacts/%252e%252e/outside.txt',
      '/artifacts/..%2foutside.txt',
      '/artifacts/....//outside.txt',
      '/artifacts/..\\outside.txt',
      '/artifacts/..%5coutside.txt',
      `/artifacts/${rel}/../../../../outside.txt`,
      `/artifacts/${rel}/screenshot.png%00.txt`,
      `/artifacts/${base}/outside.txt`,
      '/artifacts//etc/passwd',
      '/artifacts/escape.txt',
      `/artifacts/${rel}`,
    ];
    for (const path of attempts) {
      const res = await rawRequest(Number(new URL(origin).port), path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(res.body.toString(), path).not.toContain('OUTSIDE');
    }
    const ok = await rawRequest(Number(new URL(origin).port), `/artifacts/${rel}/screenshot.png`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/png');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('leak test: a run that failed after sign-in', () => {
  it('the scanner itself finds a planted secret: raw, URL-encoded, in base64 at any offset, inside a zip', async () => {
    const planted = await mkdtemp(join(tmpdir(), 'leak-plant-'));
    try {
      const secret = 'pw-0123456789abcdef&x';
      const zip = new JSZip();
      zip.file('resources/body.bin', Buffer.from(`xy${Buffer.from(`a${secret}`).toString('base64')}`));
      await writeFile(
        join(planted, 'trace.zip'),
        await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }),
      );
      await writeFile(join(planted, 'form.txt'), `password=${encodeURIComponent(secret)}`);
      const { leaks } = await scanTree(planted, [secret]);
      expect(leaks.map((l) => l.where.replace(planted, ''))).toEqual([
        '/form.txt',
        '/trace.zip!resources/body.bin',
      ]);
    } finally {
      await rm(planted, { recursive: true, force: true });
    }
  });

  it('the password and the session cookies appear in no artifact, no trace entry, the results log or any page', async () => {
    const secrets = [site.password, ...site.sessions];
    expect(site.sessions.length).toBeGreaterThan(0);
    const failed = runs.filter((r) => r.outcome === 'failure');
    expect(failed.length).toBe(2);
    for (const run of failed) {
      expect(run.failure?.step).toBe('load plan');
      for (const file of [
        run.artifacts?.screenshot,
        run.artifacts?.trace,
        run.artifacts?.console,
        run.artifacts?.requests,
      ]) {
        expect(file, 'artifact kept').toBeDefined();
        expect((await stat(file!)).size).toBeGreaterThan(0);
      }
      // The scan is not vacuous: the trace recorded the fill() of the password, scrubbed.
      const zip = await JSZip.loadAsync(await readFile(run.artifacts!.trace!));
      const texts = await Promise.all(
        Object.values(zip.files)
          .filter((f) => !f.dir)
          .map((f) => f.async('string')),
      );
      expect(texts.some((t) => t.includes('[redacted]'))).toBe(true);
    }
    const tree = await scanTree(artifactsDir, secrets);
    expect(tree.scanned.some((s) => s.includes('trace.zip!'))).toBe(true);
    const log = await readFile(resultsPath);
    const pages = [...served.entries()].flatMap(([url, body]) => findLeaks(url, body, secrets));
    expect(served.size).toBeGreaterThan(20);
    expect([...tree.leaks, ...findLeaks(resultsPath, log, secrets), ...pages]).toEqual([]);
  });
});

describe('basic auth in front of the real pages', () => {
  it('401 without credentials, 200 with them', async () => {
    const guarded = await startStatus(
      {
        runs: results,
        artifactsDir,
        now: () => Date.now(),
        auth: new BasicAuth({ username: 'oncall', password: 'correct horse' }),
      },
      204,
    );
    try {
      const port = guarded.port;
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
      const authorization = `Basic ${Buffer.from('oncall:correct horse').toString('base64')}`;
      expect((await fetch(`http://127.0.0.1:${port}/`, { headers: { authorization } })).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(204);
    } finally {
      await guarded.close();
    }
  });
});

/** The status routes on a server of their own; other paths answer `otherStatus` (404). */
async function startStatus(options: StatusRoutesOptions, otherStatus = 404): Promise<HttpServer> {
  const app = createApp();
  app.route('/', statusRoutes(options));
  app.notFound(() => new Response(otherStatus === 204 ? null : 'not found', { status: otherStatus }));
  return startHttpServer({ host: '127.0.0.1', port: 0 }, app, silentLogger());
}

async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  await pwExpect(locator).toContainText(pattern, { timeout: 5_000 });
}

async function pwVisible(locator: Locator): Promise<void> {
  await pwExpect(locator).toBeVisible({ timeout: 5_000 });
}
