/**
 * A serve-like process for the evidence-memory test: one browser pool, runs of a journey
 * against the hostile site with trace "on" and artifacts, then its own peak RSS (VmHWM) from
 * /proc. Usage: node --import tsx memory-probe.ts ORIGIN PATH READY_TEXT ARTIFACTS_DIR
 */
import { readFileSync } from 'node:fs';
import { defineJourney, expect, Secret } from '../../../src/index.js';
import { runJourney } from '../../../src/runner/run-journey.js';
import { silentLogger, testPool } from '../helpers/browser.js';

const [origin = '', path = '', ready = '', artifactsDir = ''] = process.argv.slice(2);
const kib = (field: string): number =>
  Number(
    new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0,
  );

const journey = defineJourney({
  name: 'evidence-memory',
  description: 'opens a hostile page and fails after it settled',
  stepTimeoutMs: 120_000,
  timeoutMs: 240_000,
  async run({ page, step, target }) {
    await step('open', async () => {
      await page.goto(`${target.baseUrl}${path}`);
      await expect(page.locator('h1')).toHaveText(ready, { timeout: 120_000 });
    });
    await step('check', async () => {
      await expect(page.locator('h1')).toHaveText('never', { timeout: 200 });
    });
  },
});

const pool = testPool();
try {
  const before = kib('VmRSS');
  const result = await runJourney(
    journey,
    { name: 'hostile', baseUrl: origin, allowPurchases: true, params: {} },
    {
      browser: pool,
      accounts: () => Promise.resolve({ email: 'qa@example.com', password: new Secret('unused-password') }),
      log: silentLogger(),
      artifactsDir,
      trace: 'on',
    },
  );
  process.stdout.write(
    `${JSON.stringify({ beforeKiB: before, peakKiB: kib('VmHWM'), outcome: result.outcome, failure: result.failure, artifacts: result.artifacts, annotations: result.annotations })}\n`,
  );
} finally {
  await pool.close();
}
