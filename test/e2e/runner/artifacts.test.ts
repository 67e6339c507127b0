import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { defineJourney, expect as pwExpect } from '../../../src/index.js';
import type { Journey } from '../../../src/journey/types.js';
import { runJourney } from '../../../src/runner/run-journey.js';
import { memoryLogger } from '../helpers/browser.js';
import { useSiteRuns } from '../helpers/site-runs.js';

const fx = useSiteRuns('runner-artifacts-');
const options = fx.options;

/** Signs in with the account's password (typed with fill()), then fails on the account page. */
const signInThenFail: Journey = defineJourney({
  name: 'sign-in-then-fail',
  description: 'signs in for real, then fails an assertion',
  stepTimeoutMs: 10_000,
  async run({ page, step, target: t, account, log }) {
    await step('sign in', async () => {
      await page.goto(`${t.baseUrl}/sign-in`);
      await page.getByLabel('Email').fill(account.email);
      await page.getByLabel('Password').fill(account.password.reveal());
      await page.getByRole('button', { name: 'Sign in' }).click();
      await pwExpect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
      log.info({ password: account.password }, 'signed in');
    });
    await step('check plan', async () => {
      await page.evaluate(() => console.error('plan widget failed to render'));
      await pwExpect(page.locator('h1')).toHaveText('Premium', { timeout: 1_000 });
    });
  },
});

const passing = defineJourney({
  name: 'passing',
  description: 'opens a page',
  async run({ page, step, target: t }) {
    await step('open', async () => {
      await page.goto(`${t.baseUrl}/ok`);
      await pwExpect(page.getByText('Welcome')).toBeVisible();
    });
  },
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('artifacts', () => {
  it('a failure leaves screenshot, trace, console, requests and result; no secret in any of them', async () => {
    const { log, lines } = memoryLogger('debug');
    // retain-on-failure: the default (on-first-retry) traces only a retry, and this run has none.
    const result = await runJourney(signInThenFail, fx.target, options({ log, trace: 'retain-on-failure' }));
    expect(result.failure).toMatchObject({ step: 'check plan', class: 'assertion' });
    const a = result.artifacts!;
    expect(a.dir.startsWith(join(fx.root, 'sign-in-then-fail', 'local'))).toBe(true);
    expect(a.dir).toMatch(new RegExp(`\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}Z-${result.runId}$`));
    const png = await readFile(a.screenshot!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(await readFile(a.console!, 'utf8')).toContain('console.error: plan widget failed to render');
    const saved = JSON.parse(await readFile(join(a.dir, 'result.json'), 'utf8')) as {
      runId: string;
      artifacts: unknown;
    };
    expect(saved.runId).toBe(result.runId);
    expect(saved.artifacts).toEqual(a);

    // The secrets this run handled: the typed password and the session cookie it was given.
    const password = fx.site.password;
    const session = fx.site.sessions.at(-1)!;
    expect(session).toMatch(/^[0-9a-f]{32}$/);
    const zip = await JSZip.loadAsync(await readFile(a.trace!));
    const entries = Object.values(zip.files).filter((f) => !f.dir);
    expect(entries.map((e) => e.name)).toContain('trace.trace');
    const traceText = await zip.file('trace.trace')!.async('string');
    expect(traceText).toContain('[redacted]'); // the fill() value was there, and was replaced
    for (const entry of entries) {
      const body = await entry.async('nodebuffer');
      for (const secret of [password, session, encodeURIComponent(password)]) {
        expect(body.includes(secret), `${secret} in trace entry ${entry.name}`).toBe(false);
      }
    }
    for (const file of await filesUnder(a.dir)) {
      const body = await readFile(file);
      expect(body.includes(password), `password in ${file}`).toBe(false);
      expect(body.includes(session), `session cookie in ${file}`).toBe(false);
    }
    const logText = lines.join('');
    expect(logText).toContain('signed in');
    expect(logText).not.toContain(password);
    expect(logText).not.toContain(session);
    expect(JSON.stringify(result)).not.toContain(password);
  });

  it('a password in a failure message is redacted from the result', async () => {
    const leaky = defineJourney({
      name: 'leaky-message',
      description: 'throws an error that quotes the password',
      async run({ step, account }) {
        await step('sign in', () =>
          Promise.reject(new Error(`login rejected for ${account.password.reveal()}`)),
        );
      },
    });
    const result = await runJourney(leaky, fx.target, options());
    expect(result.failure!.message).toBe('login rejected for [redacted]');
    expect(await readFile(join(result.artifacts!.dir, 'result.json'), 'utf8')).not.toContain(
      fx.site.password,
    );
  });

  it('success with retain-on-failure writes nothing; trace "on" keeps a success trace; "off" keeps none', async () => {
    const quiet = await runJourney(passing, fx.target, options({ trace: 'retain-on-failure' }));
    expect(quiet.outcome).toBe('success');
    expect(quiet.artifacts).toBeUndefined();

    const traced = await runJourney(passing, fx.target, options({ trace: 'on' }));
    expect(traced.outcome).toBe('success');
    expect((await stat(traced.artifacts!.trace!)).size).toBeGreaterThan(0);
    expect(traced.artifacts!.screenshot).toBeUndefined();

    const untraced = await runJourney(signInThenFail, fx.target, options({ trace: 'off' }));
    expect(untraced.artifacts!.trace).toBeUndefined();
    expect(untraced.artifacts!.screenshot).toBeDefined();
  });

  it('a flaky run keeps the evidence of its failed attempt', async () => {
    const key = `artifacts-${Date.now()}`;
    const flaky = defineJourney({
      name: 'flaky-page',
      description: '503 first, then fine',
      async run({ page, step, target: t }) {
        await step('open', async () => {
          await page.goto(`${t.baseUrl}/flaky/${key}`);
          await pwExpect(page.getByText('Welcome')).toBeVisible({ timeout: 1_000 });
        });
      },
    });
    const result = await runJourney(flaky, fx.target, options({ retries: 1 }));
    expect(result.outcome).toBe('flaky');
    const requests = JSON.parse(await readFile(result.artifacts!.requests!, 'utf8')) as { status?: number }[];
    expect(requests.map((r) => r.status)).toContain(503);
    expect(result.artifacts!.screenshot).toBeDefined();
    expect(result.artifacts!.trace).toBeDefined();
  });

  it('an unwritable artifacts directory never changes the verdict', async () => {
    const blocked = join(fx.root, 'not-a-dir');
    await writeFile(blocked, 'a file where a directory should be');
    await chmod(blocked, 0o444);
    const result = await runJourney(signInThenFail, fx.target, options({ artifactsDir: blocked }));
    expect(result.failure).toMatchObject({ class: 'assertion' });
    expect(result.outcome).toBe('failure');
    expect(String(result.annotations.artifactError)).toMatch(/directory/);
    expect(result.artifacts).toBeUndefined();
  });
});
