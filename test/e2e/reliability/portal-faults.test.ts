import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJourney, expect as pwExpect, Secret } from '../../../src/index.js';
import type { TargetInfo } from '../../../src/journey/types.js';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { runJourney } from '../../../src/runner/run-journey.js';
import { memoryLogger, testPool } from '../helpers/browser.js';
import { freePort } from '../helpers/http.js';
import { ProberProcess } from '../helpers/process.js';
import { workdir } from '../helpers/serve.js';
import { startFaultSite, type FaultSite } from './fault-site.js';
import { siteJourney } from './site-journey.js';

/**
 * A portal that refuses connections, resets them, or answers garbage: each run gets the
 * right class, the runner never throws, and the browser survives for the next run.
 */
let site: FaultSite;
let pool: BrowserPool;
const accounts = () => Promise.resolve({ email: 'qa@example.com', password: new Secret('pw') });

const journey = defineJourney({
  name: 'home',
  description: 'opens the home page and looks for its heading',
  steps: ['open', 'check'],
  stepTimeoutMs: 3_000,
  timeoutMs: 20_000,
  async run({ page, step, target }) {
    await step('open', async () => {
      await page.goto(`${target.baseUrl}/`);
    });
    await step('check', async () => {
      await pwExpect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
    });
  },
});

const targetAt = (baseUrl: string): TargetInfo => ({
  name: 'portal',
  baseUrl,
  allowPurchases: true,
  params: {},
});

beforeAll(async () => {
  site = await startFaultSite();
  pool = testPool();
  await pool.launch();
});

afterAll(async () => {
  await pool?.close();
  await site?.close();
});

describe('reliability: the portal refuses, resets, or answers garbage', () => {
  it('connection refused: failure/navigation on the first step', async () => {
    const closed = await freePort(); // bound, then released: nothing listens on it
    const { log } = memoryLogger();
    const result = await runJourney(journey, targetAt(`http://127.0.0.1:${closed}`), {
      browser: pool,
      accounts,
      log,
    });
    expect(result).toMatchObject({ outcome: 'failure', failure: { step: 'open', class: 'navigation' } });
    expect(result.failure?.message).toMatch(/ERR_CONNECTION_REFUSED/);
  });

  it('connection reset: failure/navigation on the first step', async () => {
    site.mode = 'reset';
    const result = await runJourney(journey, targetAt(site.origin), {
      browser: pool,
      accounts,
      log: memoryLogger().log,
    });
    expect(result).toMatchObject({ outcome: 'failure', failure: { step: 'open', class: 'navigation' } });
    expect(result.failure?.message).toMatch(/net::ERR_(CONNECTION_RESET|EMPTY_RESPONSE)/);
  });

  it('garbage HTML: the page "loads", the first locator times out (failure/timeout on check)', async () => {
    site.mode = 'garbage';
    const result = await runJourney(journey, targetAt(site.origin), {
      browser: pool,
      accounts,
      log: memoryLogger().log,
    });
    expect(result).toMatchObject({ outcome: 'failure', failure: { step: 'check', class: 'timeout' } });
    expect(result.steps.map((s) => s.outcome)).toEqual(['success', 'failure']);
  });

  it('after all that the same browser passes a run; no restart', async () => {
    site.mode = 'ok';
    const result = await runJourney(journey, targetAt(site.origin), {
      browser: pool,
      accounts,
      log: memoryLogger().log,
    });
    expect(result.outcome).toBe('success');
    expect(pool.restarts).toBe(0);
  });

  it('the CLI against a refusing portal: one JSON result, failure/navigation, exit 1, no crash', async () => {
    const closed = await freePort();
    const work = workdir(
      { home: siteJourney({ name: 'home', path: '/', stepTimeoutMs: 3_000 }) },
      'journeysDir: journeys\n',
    );
    const cli = new ProberProcess(
      [
        'run',
        'home',
        '--base-url',
        `http://127.0.0.1:${closed}`,
        '--json',
        '--artifacts',
        `${work.dir}/artifacts`,
        '--config',
        work.config,
      ],
      {},
      work.dir,
    );
    expect(await cli.exited).toEqual({ code: 1, signal: null });
    const lines = cli.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      journey: 'home',
      target: 'adhoc',
      outcome: 'failure',
      failure: { step: 'open', class: 'navigation' },
    });
    expect(cli.stderr).not.toMatch(/internal error|Unhandled|TypeError/);
  });
});
