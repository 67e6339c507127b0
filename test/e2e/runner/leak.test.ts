import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJourney, expect as pwExpect, Secret } from '../../../src/index.js';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { runJourney } from '../../../src/runner/run-journey.js';
import { findLeaks, inflated, scanTree } from '../status/leak-scan.js';
import { memoryLogger, testPool } from '../helpers/browser.js';
import { startHostileSite, type HostileSite } from './hostile-site.js';

let site: HostileSite;
let pool: BrowserPool;
let root: string;

beforeAll(async () => {
  site = await startHostileSite();
  pool = testPool();
  await pool.launch();
  root = await mkdtemp(join(tmpdir(), 'runner-leak-'));
});

afterAll(async () => {
  await pool?.close();
  await site?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Signs in (the page gzips the typed password), uses the account page, signs out, then fails. */
const hostileJourney = defineJourney({
  name: 'hostile-credentials',
  description: 'a site that rotates and clears cookies, sends tokens and compresses what it sends',
  stepTimeoutMs: 15_000,
  async run({ page, step, target, account }) {
    await step('sign in', async () => {
      await page.goto(`${target.baseUrl}/sign-in`);
      await page.getByLabel('Email').fill(account.email);
      await page.getByLabel('Password').fill(account.password.reveal());
      await page.getByRole('button', { name: 'Sign in' }).click();
      await pwExpect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
      await pwExpect(page.locator('#state')).toHaveText('Loaded');
    });
    await step('sign out', async () => {
      await page.reload();
      await pwExpect(page.locator('#state')).toHaveText('Loaded');
      await page.getByRole('link', { name: 'Sign out' }).click();
      await pwExpect(page.getByRole('heading', { name: 'Signed out' })).toBeVisible();
    });
    await step('check plan', async () => {
      await pwExpect(page.locator('h1')).toHaveText('Premium', { timeout: 500 });
    });
  },
});

describe('leak test: a site that rotates, clears, sends tokens and compresses', () => {
  it('the scanner looks inside compressed bytes', () => {
    const secret = 'planted-secret-123';
    const blob = gzipSync(Buffer.from(`{"x":"${secret}"}`));
    expect(findLeaks('blob', blob, [secret])).toEqual([]);
    expect(inflated(blob)?.data.toString()).toContain(secret);
  });

  it('no credential the run saw is in any artifact or trace entry, even compressed', async () => {
    const { log, lines } = memoryLogger('debug');
    const result = await runJourney(
      hostileJourney,
      { name: 'hostile', baseUrl: site.origin, allowPurchases: true, params: {} },
      {
        browser: pool,
        accounts: () => Promise.resolve({ email: 'qa@example.com', password: new Secret(site.password) }),
        log,
        artifactsDir: root,
        // The default (on-first-retry) traces only a retry; this run has none and must be traced.
        trace: 'retain-on-failure',
        secretQueryParams: ['sid'],
      },
    );
    expect(result.failure).toMatchObject({ step: 'check plan', class: 'assertion' });
    expect(result.artifacts?.trace).toBeDefined();
    const secrets = [site.password, ...site.credentials()];
    // Rotated sessions, the remember token, the bearer, Basic, query tokens: all were handed out.
    expect(site.credentials().length).toBeGreaterThan(8);

    const tree = await scanTree(result.artifacts!.dir, secrets);
    expect(tree.scanned.some((where) => where.includes('trace.zip!resources/'))).toBe(true);
    expect(tree.leaks).toEqual([]);
    const consoleText = await readFile(result.artifacts!.console!, 'utf8');
    expect(consoleText).toContain('token check failed for [redacted]');
    expect([
      ...findLeaks('log', lines.join(''), secrets),
      ...findLeaks('result', JSON.stringify(result), secrets),
    ]).toEqual([]);
  });
});
