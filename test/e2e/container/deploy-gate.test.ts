import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE_COMMAND, GATE_EXIT } from '../../unit/deploy-container/gate.js';

/**
 * The deploy gate against a broken deploy: "staging" is a sandbox whose checkout answers
 * 503. The gate must exit 1 (roll back) and leave a JUnit report naming the failed step.
 */
const REPO = join(import.meta.dirname, '../../..');
const BIN = join(REPO, 'bin/journey-prober.js');
const FAILING_STEP = 'open checkout';

const JOURNEY = `import { defineJourney, expect, fail } from 'journey-prober';

export default defineJourney({
  name: 'gate-check',
  description: 'Sign-in page up, checkout page up',
  accountState: 'none',
  stepTimeoutMs: 15_000,
  async run({ page, target, step }) {
    await step('open sign-in page', async () => {
      const response = await page.goto(target.baseUrl + '/customers/sign_in');
      expect(response?.status()).toBeLessThan(400);
    });
    await step(${JSON.stringify(FAILING_STEP)}, async () => {
      const response = await page.goto(target.baseUrl + '/subscriptions/new');
      const status = response?.status() ?? 0;
      if (status >= 500) fail('http_error', 'checkout answered HTTP ' + status);
    });
  },
});
`;

let dir: string;
let sandbox: ChildProcess | undefined;
let portal = '';

function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jp-gate-'));
  sandbox = spawn(process.execPath, [BIN, 'sandbox', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: sandbox.stdout! });
  portal = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sandbox printed no URL within 30 s')), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    sandbox!.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
  const put = await fetch(`${portal}/__sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ match: '/subscriptions/new', status: 503 }]),
  });
  expect(put.status).toBeLessThan(300);

  mkdirSync(join(dir, 'journeys'));
  writeFileSync(join(dir, 'journeys', 'gate-check.journey.ts'), JOURNEY);
  // "staging" is the broken deploy: the sandbox, with its own throwaway accounts.
  writeFileSync(
    join(dir, 'journey-prober.config.yaml'),
    [
      'journeysDir: journeys',
      'artifacts:',
      '  dir: artifacts',
      'targets:',
      '  staging:',
      `    baseUrl: ${portal}`,
      '    accounts: sandbox',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await stop(sandbox);
  rmSync(dir, { recursive: true, force: true });
});

function runGate(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [, ...args] = GATE_COMMAND.split(' ');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, PROBER_CONFIG: join(dir, 'journey-prober.config.yaml'), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the deploy gate', () => {
  it('exits 1 (roll back) and writes a JUnit report naming the failed step', async () => {
    const { code, stdout, stderr } = await runGate();
    expect(code, `${stdout}\n${stderr}`).toBe(GATE_EXIT.rollBack);

    const xml = readFileSync(join(dir, 'report.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const report = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(xml) as {
      testsuites: {
        testsuite: {
          name: string;
          testcase: { name: string; failure?: { type?: string; message?: string } }[];
        }[];
      };
    };
    const suites = report.testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual(['gate-check (staging)']);
    const cases = suites[0]!.testcase;
    const failed = cases.filter((c) => c.failure !== undefined);
    expect(failed.map((c) => c.name)).toEqual([FAILING_STEP]);
    expect(failed[0]!.failure?.type).toBe('http_error');
    expect(failed[0]!.failure?.message).toContain('503');
    expect(cases.find((c) => c.name === 'open sign-in page')?.failure).toBeUndefined();
    expect(xml, '--retries 1: the failure was retried').toMatch(/2 attempt/);
  });

  it('exits 0 once the deploy is fixed', async () => {
    const cleared = await fetch(`${portal}/__sandbox/faults`, { method: 'DELETE' });
    expect(cleared.status).toBeLessThan(300);
    const { code, stdout, stderr } = await runGate();
    expect(code, `${stdout}\n${stderr}`).toBe(GATE_EXIT.pass);
  });

  it('exits 2 (do not roll back) naming the missing staging credential', async () => {
    const config = join(dir, 'no-accounts.config.yaml');
    writeFileSync(config, `journeysDir: journeys\ntargets:\n  staging:\n    baseUrl: ${portal}\n`);
    const [, ...args] = GATE_COMMAND.split(' ');
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, PROBER_CONFIG: config },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(GATE_EXIT.usage);
    expect(stderr).toMatch(/PROBER_STAGING_(EMAIL|PASSWORD)/);
  });
});
