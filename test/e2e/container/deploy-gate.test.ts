import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { GATE_COMMAND, GATE_EXIT } from '../../unit/deploy-container/gate.js';
import { runCli } from '../helpers/process.js';

/**
 * The deploy gate against a broken deploy: "staging" is a sandbox whose checkout answers
 * 503. The gate must exit 1 (roll back) and leave a JUnit report naming the failed step.
 * The gate is the CLI (its exit code is the point); the sandbox runs in this process.
 */
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
let sandbox: Sandbox | undefined;
let portal = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jp-gate-'));
  sandbox = await startSandbox();
  portal = sandbox.portalUrl;
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
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runGate(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [, ...args] = GATE_COMMAND.split(' ');
  const gate = await runCli(args, {
    cwd: dir,
    env: { PROBER_CONFIG: join(dir, 'journey-prober.config.yaml'), NO_COLOR: '1' },
    inheritEnv: true,
    timeoutMs: 100_000,
  });
  return { code: gate.exit.code, stdout: gate.stdout, stderr: gate.stderr };
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
    const gate = await runCli(args, { cwd: dir, env: { PROBER_CONFIG: config } });
    const { stderr } = gate;
    expect(gate.exit.code, stderr).toBe(GATE_EXIT.usage);
    expect(stderr).toMatch(/PROBER_STAGING_(EMAIL|PASSWORD)/);
  });
});
