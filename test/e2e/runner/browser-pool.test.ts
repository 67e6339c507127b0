import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJourney, expect as pwExpect, Secret } from '../../../src/index.js';
import type { TargetInfo } from '../../../src/journey/types.js';
import { BrowserLaunchError, BrowserPool } from '../../../src/runner/browser.js';
import { runJourney } from '../../../src/runner/run-journey.js';
import { processAlive, silentLogger, testPool } from '../helpers/browser.js';
import { startTestSite, type TestSite } from '../helpers/test-site.js';

let site: TestSite;
let target: TargetInfo;
const pools: BrowserPool[] = [];

beforeAll(async () => {
  site = await startTestSite();
  target = { name: 'local', baseUrl: site.origin, allowPurchases: true, params: {} };
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await site?.close();
});

const pool = (recycleAfterRuns = 0): BrowserPool => {
  const p = testPool({ recycleAfterRuns });
  pools.push(p);
  return p;
};

/** Polls (bounded) until `check` holds. */
async function until(check: () => boolean, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

const accounts = () => Promise.resolve({ email: 'qa@example.com', password: new Secret('pw') });

describe('BrowserPool', () => {
  it('one launch for concurrent callers; version and pid known; close leaves no Chromium', async () => {
    const p = pool();
    expect(p.connected).toBe(false);
    const contexts = await Promise.all([p.newContext(), p.newContext(), p.newContext()]);
    expect(p.connected).toBe(true);
    expect(p.version).toMatch(/^\d+\./);
    const pid = p.pid!;
    expect(pid).toBeGreaterThan(0);
    expect(processAlive(pid)).toBe(true);
    expect(new Set(contexts.map((c) => c.browser()))).toHaveProperty('size', 1);
    expect(p.restarts).toBe(0);
    await p.close();
    await p.close(); // idempotent
    expect(await until(() => !processAlive(pid))).toBe(true);
    expect(p.connected).toBe(false);
    await expect(p.newContext()).rejects.toBeInstanceOf(BrowserLaunchError);
  });

  it('a bad executable is a BrowserLaunchError naming it', async () => {
    const p = new BrowserPool({
      executablePath: '/nonexistent/chromium',
      log: silentLogger(),
      launchTimeoutMs: 5_000,
    });
    pools.push(p);
    await expect(p.launch()).rejects.toThrow(/could not launch Chromium at \/nonexistent\/chromium/);
  });

  it('recycles after N contexts without counting a restart, and closes the old browser', async () => {
    const p = pool(2);
    const a = await p.newContext();
    const firstPid = p.pid!;
    const b = await p.newContext();
    await Promise.all([a.close(), b.close()]);
    const c = await p.newContext();
    expect(p.pid).not.toBe(firstPid);
    expect(p.restarts).toBe(0);
    expect(await until(() => !processAlive(firstPid))).toBe(true);
    await c.close();
  });

  it('SIGKILL mid-run: the run is error/browser; the next run relaunches and passes; the restart is counted', async () => {
    const p = pool();
    let restartsHeard = 0;
    p.onRestart(() => restartsHeard++);
    await p.launch();
    const journey = defineJourney({
      name: 'crash',
      description: 'waits on a hanging page while the browser is killed',
      timeoutMs: 30_000,
      async run({ page, step, target: t }) {
        await step('open', async () => {
          await page.goto(`${t.baseUrl}/ok`);
          await pwExpect(page.getByText('Welcome')).toBeVisible();
        });
        await step('wait', () => page.goto(`${t.baseUrl}/hang`).then(() => undefined));
      },
    });
    const pid = p.pid!;
    const pending = runJourney(journey, target, { browser: p, accounts, log: silentLogger() });
    expect(await until(() => site.requests.includes('/hang'), 10_000)).toBe(true);
    process.kill(pid, 'SIGKILL');
    const crashed = await pending;
    expect(crashed).toMatchObject({ outcome: 'error', failure: { step: 'wait', class: 'browser' } });
    expect(crashed.steps.map((s) => s.outcome)).toEqual(['success', 'error']);

    const ok = defineJourney({
      name: 'after-crash',
      description: 'passes',
      async run({ page, step, target: t }) {
        await step('open', async () => {
          await page.goto(`${t.baseUrl}/ok`);
          await pwExpect(page.getByText('Welcome')).toBeVisible();
        });
      },
    });
    const next = await runJourney(ok, target, { browser: p, accounts, log: silentLogger() });
    expect(next.outcome).toBe('success');
    expect(p.restarts).toBe(1);
    expect(restartsHeard).toBe(1);
    expect(p.pid).not.toBe(pid);
  });
});
