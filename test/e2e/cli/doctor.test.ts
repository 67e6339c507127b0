import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { runCli } from '../helpers/process.js';
import type { ServerRequest } from '../journeys/fixture.js';

/**
 * `journey-prober doctor --target sandbox` (issue 14), the CLI in its own process against a
 * sandbox this test runs, so faults can be injected and the request log read: every locator
 * found, or the removed one named with its page; never an order, never a card.
 */
const ROOT = join(import.meta.dirname, '../../..');
/** Two walks (sign in, subscriptions, add seats, checkout up to the payment forms): ~10 s idle. */
const CLI_TIMEOUT_MS = 120_000;

interface Finding {
  readonly page: string;
  readonly name: string;
  readonly status: 'found' | 'missing' | 'ambiguous';
  readonly guess: boolean;
}
interface DoctorReport {
  readonly target: string;
  readonly ok: boolean;
  readonly locators: readonly Finding[];
  readonly walks: readonly { walk: string; outcome: string }[];
}

let sandbox: Sandbox;
let dir: string;
let config: string;
beforeAll(async () => {
  sandbox = await startSandbox({ provisioningDelayMs: 300 });
  dir = mkdtempSync(join(tmpdir(), 'prober-doctor-'));
  config = join(dir, 'config.yaml');
  // The built-in sandbox target (fresh sandbox accounts), pointed at this test's sandbox.
  writeFileSync(
    config,
    [
      'targets:',
      '  sandbox:',
      `    baseUrl: ${sandbox.portalUrl}`,
      `    gitlabUrl: ${sandbox.gitlabUrl}`,
      '    params: { paymentFormTimeoutMs: "15000" }',
      '',
    ].join('\n'),
  );
});
afterEach(async () => {
  await control('DELETE', '/__sandbox/faults');
});
afterAll(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.portalUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.ok, `${method} ${path}: HTTP ${response.status}`).toBe(true);
  return response.json();
}

async function doctor(json: boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = ['doctor', '--target', 'sandbox', '--config', config, ...(json ? ['--json'] : [])];
  const run = await runCli(args, {
    cwd: ROOT,
    env: { NO_COLOR: '1' },
    inheritEnv: true,
    timeoutMs: CLI_TIMEOUT_MS,
  });
  return { code: run.exit.code, stdout: run.stdout, stderr: run.stderr };
}

/** What the sandbox saw since the log was cleared: never a card form, never an order. */
async function expectReadOnly(): Promise<ServerRequest[]> {
  const { requests } = (await control('GET', '/__sandbox/requests')) as { requests: ServerRequest[] };
  const tagged = requests.filter((r) => r.synthetic?.startsWith('doctor-') === true);
  expect(tagged.length, 'the walks reached the sandbox').toBeGreaterThan(10);
  const writes = requests.filter(
    (r) =>
      (r.origin === 'payment' && r.method === 'POST') ||
      r.step === 'confirm' ||
      r.step === 'cancel' ||
      (r.method === 'POST' && /^\/api\/orders\//.test(r.path)),
  );
  expect(writes.map((r) => `${r.origin} ${r.method} ${r.path}`)).toEqual([]);
  // The payment forms were loaded (so the walks went as far as they may).
  expect(requests.some((r) => r.origin === 'payment' && r.method === 'GET' && r.path === '/hpm/page')).toBe(
    true,
  );
  return requests;
}

describe('doctor --target sandbox', () => {
  it('finds every locator, exits 0, and neither orders nor sends a card', async () => {
    await control('DELETE', '/__sandbox/requests');
    const { code, stdout, stderr } = await doctor(true);
    const report = JSON.parse(stdout) as DoctorReport;
    const notFound = report.locators.filter((l) => l.status !== 'found');
    expect(notFound, stdout).toEqual([]);
    expect(report.locators.length).toBeGreaterThan(20);
    expect(new Set(report.locators.map((l) => l.page)).size).toBeGreaterThanOrEqual(4);
    expect(report.walks.map((w) => [w.walk, w.outcome])).toEqual([
      ['doctor-subscriptions', 'success'],
      ['doctor-checkout', 'success'],
      ['doctor-renewal', 'success'],
    ]);
    // The renew page and the order summaries are looked at too.
    const objects = new Set(report.locators.map((l) => l.name.split('.')[0]));
    expect([...objects].sort()).toEqual(
      expect.arrayContaining(['OrderSummary', 'PaymentForm', 'RenewPage', 'SubscriptionCard']),
    );
    expect([report.target, report.ok, code], stderr.slice(-2000)).toEqual(['sandbox', true, 0]);
    await expectReadOnly();
  });

  it('with a test id removed, names the missing locator and its page, exit 1, still read-only', async () => {
    await control('DELETE', '/__sandbox/requests');
    await control('PUT', '/__sandbox/faults', [{ removeTestId: 'seats-in-subscription' }]);
    const { code, stdout, stderr } = await doctor(false);
    expect(code, `${stdout}\n${stderr.slice(-2000)}`).toBe(1);
    // The human report: the page, then the locator under it, missing.
    const lines = stdout.split('\n');
    const missing = lines.findIndex((l) => /^\s+SubscriptionCard\.seats\s+missing$/.test(l));
    expect(missing, stdout).toBeGreaterThan(0);
    const pageLine = lines
      .slice(0, missing)
      .reverse()
      .find((l) => !l.startsWith(' '));
    expect(pageLine).toBe('/subscriptions');
    expect(
      lines.filter((l) => /\smissing(\s|$)/.test(l)),
      stdout,
    ).toHaveLength(1);
    expect(stdout).toMatch(/locators: 1 missing, 0 ambiguous/);
    await expectReadOnly();
  });

  it('with a button renamed by a deploy, names that locator and its page, exit 1, still read-only', async () => {
    await control('DELETE', '/__sandbox/requests');
    // The card's "Renew" link now reads "Renew now": getByRole('link', { name: 'Renew', exact: true }) misses it.
    await control('PUT', '/__sandbox/faults', [{ replaceText: 'Renew', with: 'Renew now' }]);
    const { code, stdout, stderr } = await doctor(true);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(code, stderr.slice(-2000)).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.locators.filter((l) => l.status !== 'found')).toEqual([
      { page: '/subscriptions', name: 'SubscriptionCard.renew', status: 'missing', guess: false },
    ]);
    // Only the walk that needs the link stops there; the others walk on to their payment forms.
    expect(report.walks.map((w) => [w.walk, w.outcome])).toEqual([
      ['doctor-subscriptions', 'success'],
      ['doctor-checkout', 'success'],
      ['doctor-renewal', 'failure'],
    ]);
    await expectReadOnly();
  });
});
