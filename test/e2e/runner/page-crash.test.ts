import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJourney, Secret } from '../../../src/index.js';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { runJourney } from '../../../src/runner/run-journey.js';
import { silentLogger, testPool } from '../helpers/browser.js';

let pool: BrowserPool;

beforeAll(async () => {
  pool = testPool();
  await pool.launch();
});

afterAll(async () => {
  await pool?.close();
});

describe('class page_crash', () => {
  it('a tab that crashes while the browser stays up is failure/page_crash, not error/browser', async () => {
    const crashing = defineJourney({
      name: 'crashing-tab',
      description: 'crashes its renderer',
      stepTimeoutMs: 15_000,
      async run({ page, step }) {
        await step('open', async () => {
          await page.goto('chrome://crash').catch(() => undefined);
          await page.waitForEvent('close', { timeout: 10_000 });
        });
      },
    });
    const result = await runJourney(
      crashing,
      { name: 'local', baseUrl: 'http://127.0.0.1:9', allowPurchases: true, params: {} },
      {
        browser: pool,
        accounts: () => Promise.resolve({ email: 'qa@example.com', password: new Secret('unused-pw') }),
        log: silentLogger(),
      },
    );
    expect(result.outcome).toBe('failure');
    expect(result.failure).toMatchObject({ step: 'open', class: 'page_crash' });
    expect(pool.connected).toBe(true);
  });
});
