import { readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { defineJourney, expect as pwExpect } from '../../../src/index.js';
import { runJourney } from '../../../src/runner/run-journey.js';
import { useSiteRuns } from '../helpers/site-runs.js';

/** The default evidence policy, on-first-retry (docs/evidence.md): no trace on a pass, a traced confirmation of every failure. */
const fx = useSiteRuns('runner-trace-policy-');
const options = fx.options;

const opens = (path: () => string, text: string) =>
  defineJourney({
    name: 'opens-a-page',
    description: 'opens a page and looks for a text',
    stepTimeoutMs: 10_000,
    async run({ page, step, target: t }) {
      await step('open', async () => {
        await page.goto(`${t.baseUrl}${path()}`);
        await page.evaluate(() => console.error('widget failed'));
        await pwExpect(page.getByText(text)).toBeVisible({ timeout: 1_000 });
      });
    },
  });

describe('trace policy on-first-retry, the default', () => {
  it('a passing run takes one untraced attempt and keeps nothing', async () => {
    const result = await runJourney(
      opens(() => '/ok', 'Welcome'),
      fx.target,
      options(),
    );
    expect(result).toMatchObject({ outcome: 'success', attempts: 1 });
    expect(result.artifacts).toBeUndefined();
  });

  it('a failure without retries keeps its screenshot, console and requests, untraced: the policy adds no retry', async () => {
    const result = await runJourney(
      opens(() => '/ok', 'Not on the page'),
      fx.target,
      options({ retries: 0 }),
    );
    expect(result).toMatchObject({ outcome: 'failure', attempts: 1, attemptOutcomes: ['failure'] });
    const files = result.artifacts!;
    for (const file of [files.screenshot, files.console, files.requests]) {
      expect(file, JSON.stringify(files)).toBeDefined();
      expect((await stat(file!)).size).toBeGreaterThan(0);
    }
    expect(files.trace).toBeUndefined();
    expect(await readFile(files.console!, 'utf8')).toContain('widget failed');
  });

  it('a failure confirmed by its retry keeps all its evidence, the traced retry included', async () => {
    const result = await runJourney(
      opens(() => '/ok', 'Not on the page'),
      fx.target,
      options({ retries: 1 }),
    );
    expect(result).toMatchObject({
      outcome: 'failure',
      attempts: 2,
      attemptOutcomes: ['failure', 'failure'],
    });
    const files = result.artifacts!;
    for (const file of [files.screenshot, files.trace, files.console, files.requests]) {
      expect(file, JSON.stringify(files)).toBeDefined();
      expect((await stat(file!)).size).toBeGreaterThan(0);
    }
  });

  it('with more retries, the failure shows the traced retry (attempt 2), not an untraced later one', async () => {
    const result = await runJourney(
      opens(() => '/ok', 'Not on the page'),
      fx.target,
      options({ retries: 2 }),
    );
    expect(result).toMatchObject({ outcome: 'failure', attempts: 3 });
    expect(result.artifacts?.trace).toBeDefined();
    expect(result.artifacts?.screenshot).toBeDefined();
  });

  it('a flaky run keeps the failed attempt’s requests and screenshot, and the retry’s trace', async () => {
    const key = `trace-policy-${Date.now()}`;
    const result = await runJourney(
      opens(() => `/flaky/${key}`, 'Welcome'),
      fx.target,
      options({ retries: 1 }),
    );
    expect(result).toMatchObject({ outcome: 'flaky', attempts: 2 });
    const requests = JSON.parse(await readFile(result.artifacts!.requests!, 'utf8')) as { status?: number }[];
    expect(requests.map((r) => r.status)).toContain(503);
    expect(result.artifacts!.screenshot).toBeDefined();
    expect(result.artifacts!.trace).toBeDefined();
  });

  it('no trace without an artifacts directory (no evidence to keep), nor with trace off', async () => {
    const failing = opens(() => '/ok', 'Not on the page');
    const bare = await runJourney(failing, fx.target, options({ artifactsDir: undefined }));
    expect(bare).toMatchObject({ outcome: 'failure', attempts: 1 });
    const off = await runJourney(failing, fx.target, options({ trace: 'off' }));
    expect(off).toMatchObject({ outcome: 'failure', attempts: 1 });
    expect(off.artifacts?.trace).toBeUndefined();
    expect(off.artifacts?.screenshot).toBeDefined();
  });
});
