import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/journey/types.js';
import { freePort, poll } from '../helpers/http.js';
import { ServeUnderTest, workdir, type InProcessServe } from '../helpers/serve.js';
import { startTestSite, type TestSite } from '../helpers/test-site.js';
import { findLeaks, scanTree } from './leak-scan.js';

/**
 * The real `serve` (in this process, with its own logger, registry and abort signal) probing a test site that has a password form and a
 * session cookie: odd runs pass, even runs fail after signing in. Status pages behind basic
 * auth, artifacts kept to 3 runs.
 */
const ACCOUNT_JOURNEY = `
import { readFileSync, writeFileSync } from 'node:fs';
import { defineJourney, expect } from 'journey-prober';
// Counted in a file beside the journey: each run imports the module afresh in its own worker.
const counter = new URL('./account.runs', import.meta.url);
export default defineJourney({
  name: 'account',
  description: 'signs in, then loads the plan widget (fails every second run)',
  steps: ['sign in', 'load plan'],
  stepTimeoutMs: 20_000,
  async run({ page, target, step, account }) {
    let runs = 1;
    try {
      runs += Number(readFileSync(counter, 'utf8'));
    } catch {
      /* the first run */
    }
    writeFileSync(counter, String(runs));
    const fails = runs % 2 === 0;
    await step('sign in', async () => {
      await page.goto(target.baseUrl + '/sign-in');
      await page.getByLabel('Email').fill(account.email);
      await page.getByLabel('Password').fill(account.password.reveal());
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible({ timeout: 15_000 });
    });
    await step('load plan', async () => {
      await page.goto(target.baseUrl + (fails ? '/xhr-fail' : '/ok'));
      await expect(page.locator('h1')).toHaveText(/Welcome|Loaded/, { timeout: 1_500 });
    });
  },
});
`;

const STATUS_PASSWORD = 'status-page-password-42';
const AUTH = { authorization: `Basic ${Buffer.from(`oncall:${STATUS_PASSWORD}`).toString('base64')}` };
const MAX_RUNS = 3;

let site: TestSite;
let work: ReturnType<typeof workdir>;
let serve: InProcessServe | undefined;
let url = '';
const served = new Map<string, Buffer>();

async function get(
  path: string,
  headers: Record<string, string> = AUTH,
): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const res = await fetch(new URL(path, url), { headers, signal: AbortSignal.timeout(15_000) });
  const body = Buffer.from(await res.arrayBuffer());
  served.set(path, body);
  return { status: res.status, body, headers: res.headers };
}

const runsInLog = async (): Promise<RunResult[]> => {
  const text = await readFile(work.results, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RunResult);
};

const runDirs = async (): Promise<string[]> => {
  const root = join(work.dir, 'out', 'artifacts', 'account', 'site');
  return readdir(root).catch(() => []);
};

beforeAll(async () => {
  site = await startTestSite();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  work = workdir(
    { account: ACCOUNT_JOURNEY },
    [
      'journeysDir: journeys',
      'results: { path: out/runs.jsonl }',
      `artifacts: { dir: out/artifacts, maxRuns: ${MAX_RUNS} }`,
      'trace: retain-on-failure',
      'statusAuth: { username: oncall, passwordEnv: STATUS_PASSWORD }',
      'targets:',
      `  site: { baseUrl: '${site.origin}', accounts: { default: { email: qa@example.com, passwordEnv: SITE_PASSWORD } } }`,
      'schedules:',
      "  - { journey: account, target: site, cron: '*/2 * * * * *', jitterMs: 0, runOnStart: true }",
      '',
    ].join('\n'),
  );
  serve = await ServeUnderTest.inProcess({}, [], {
    work,
    env: { PROBER_LISTEN: `127.0.0.1:${port}`, STATUS_PASSWORD, SITE_PASSWORD: site.password },
  });
  // Five failures: two more than the artifacts keep, so retention must have removed some.
  await poll(
    'five failed runs in the results log',
    async () => ((await runsInLog()).filter((r) => r.outcome === 'failure').length >= 5 ? true : undefined),
    90_000,
  );
  await poll(
    'retention down to the limit',
    async () => ((await runDirs()).length <= MAX_RUNS ? true : undefined),
    15_000,
  );
}, 150_000);

afterAll(async () => {
  if (serve !== undefined) await serve.dispose();
  else if (work !== undefined) await rm(work.dir, { recursive: true, force: true });
  await site?.close();
}, 60_000);

describe('serve: status pages, artifacts and retention for real', () => {
  it('guards the status routes and /metrics with basic auth, never /healthz and /readyz', async () => {
    for (const path of ['/', '/journeys/account?target=site', '/api/runs', '/metrics']) {
      const res = await get(path, {});
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toMatch(/^Basic realm=/);
    }
    expect((await get('/metrics')).status).toBe(200);
    for (const path of ['/healthz', '/readyz']) expect((await get(path, {})).status, path).toBe(200);
  });

  it('shows the series failing or passing with its schedule, and every link and image answers 200', async () => {
    const home = (await get('/')).body.toString();
    expect(home).toMatch(/badge s-(failing|passing)/);
    expect(home).toContain('*/2 * * * * *');
    const pages = ['/', '/journeys/account?target=site'];
    const seen = new Set<string>();
    for (let i = 0; i < pages.length && i < 100; i++) {
      const body = (await get(pages[i]!)).body.toString();
      for (const m of body.matchAll(/(?:href|src)="([^"]+)"/g)) {
        const link = m[1]!.replace(/&amp;/g, '&');
        if (seen.has(link)) continue;
        seen.add(link);
        expect((await get(link)).status, link).toBe(200);
        if (link.startsWith('/journeys/') || link.startsWith('/runs/')) pages.push(link);
      }
    }
    expect([...seen].some((l) => l.endsWith('/screenshot.png'))).toBe(true);
    expect([...seen].some((l) => l.endsWith('/trace.zip'))).toBe(true);
  });

  it('keeps at most artifacts.maxRuns run directories, newest failures first', async () => {
    const failures = (await runsInLog()).filter((r) => r.outcome === 'failure');
    const dirs = await runDirs();
    expect(dirs.length).toBeLessThanOrEqual(MAX_RUNS);
    expect(dirs.length).toBeGreaterThan(0);
    const oldest = failures[0]!;
    expect(dirs.some((d) => d.endsWith(oldest.runId))).toBe(false);
  });

  it('after shutdown: no password or session cookie in artifacts, trace entries, results log, logs or pages', async () => {
    const { code, signal } = await serve!.stop(30_000);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const secrets = [site.password, ...site.sessions, STATUS_PASSWORD];
    expect(site.sessions.length).toBeGreaterThanOrEqual(5);
    const tree = await scanTree(join(work.dir, 'out', 'artifacts'), secrets);
    expect(tree.scanned.some((s) => s.includes('trace.zip!'))).toBe(true);
    const leaks = [
      ...tree.leaks,
      ...findLeaks('results log', await readFile(work.results), secrets),
      ...findLeaks('serve log and stdout', serve!.output(), secrets),
      ...findLeaks('serve stderr', serve!.stderr, secrets),
      ...[...served.entries()].flatMap(([path, body]) => findLeaks(path, body, secrets)),
    ];
    expect(served.size).toBeGreaterThan(10);
    expect(leaks).toEqual([]);
  });
});
