import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../../src/config/errors.js';
import { parseConfig } from '../../../src/config/load.js';
import { targetSpecs } from '../../../src/config/targets.js';
import { defineJourney } from '../../../src/journey/define.js';
import type { Journey } from '../../../src/journey/types.js';
import { checkSchedules, loadServeConfig, planSchedules } from '../../../src/scheduler/plan.js';

const journey = (
  name: string,
  accountState: 'active' | 'renewable' = 'active',
  more: Partial<Parameters<typeof defineJourney>[0]> = {},
): Journey => defineJourney({ name, description: name, accountState, run: () => Promise.resolve(), ...more });
const journeys = new Map([
  ['purchase', journey('purchase')],
  ['renewal', journey('renewal', 'renewable')],
  ['seat-change', journey('seat-change')],
]);

function plan(raw: unknown) {
  const config = parseConfig(raw, 'test.yaml');
  return planSchedules(config, journeys, targetSpecs(config));
}

function problems(raw: unknown): readonly string[] {
  try {
    plan(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('planSchedules', () => {
  it('schedules every journey on the sandbox with the defaults when none are configured', () => {
    const entries = plan({});
    expect(entries.map((e) => e.id)).toEqual(['purchase@sandbox', 'renewal@sandbox', 'seat-change@sandbox']);
    expect(entries[0]).toMatchObject({
      cron: '*/5 * * * *',
      jitterMs: 30_000,
      runOnStart: false,
      minIntervalMs: 300_000,
      accountKey: undefined,
    });
  });

  it('lets a schedule naming a journey override `*` on the same target, with its own settings', () => {
    const entries = plan({
      defaults: { cron: '*/10 * * * *', jitterMs: 1_000, timezone: 'Europe/Berlin' },
      schedules: [
        { journey: 'purchase', target: 'sandbox', cron: '*/30 * * * * *', runOnStart: true },
        { journey: '*', target: 'sandbox' },
      ],
    });
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get('purchase@sandbox')).toMatchObject({
      cron: '*/30 * * * * *',
      runOnStart: true,
      jitterMs: 1_000,
      timezone: 'Europe/Berlin',
    });
    expect(byId.get('renewal@sandbox')).toMatchObject({ cron: '*/10 * * * *', runOnStart: false });
    expect(entries).toHaveLength(3);
  });

  it('caps jitter at half the shortest interval', () => {
    const [e] = plan({
      schedules: [{ journey: 'purchase', target: 'sandbox', cron: '*/2 * * * * *', jitterMs: 30_000 }],
    });
    expect(e?.jitterMs).toBe(1_000);
  });

  it('keys configured accounts, so runs sharing one never overlap; sandbox accounts have no key', () => {
    const entries = plan({
      targets: {
        qa: {
          baseUrl: 'https://qa.example.com',
          accounts: {
            default: { email: 'qa@example.com', passwordEnv: 'QA_PW' },
            renewable: { emailEnv: 'QA_RENEW', passwordEnv: 'QA_PW2' },
          },
        },
      },
      schedules: [
        { journey: '*', target: 'qa' },
        { journey: 'purchase', target: 'sandbox' },
      ],
    });
    const key = (id: string) => entries.find((e) => e.id === id)?.accountKey;
    expect(key('purchase@qa')).toBe('qa:email=qa@example.com');
    expect(key('seat-change@qa')).toBe(key('purchase@qa'));
    expect(key('renewal@qa')).toBe('qa:env=QA_RENEW');
    expect(key('purchase@sandbox')).toBeUndefined();
  });

  it('collects every problem: unknown journey, duplicates', () => {
    expect(
      problems({
        schedules: [
          { journey: 'purchse', target: 'sandbox' },
          { journey: 'renewal', target: 'sandbox' },
          { journey: 'renewal', target: 'sandbox', cron: '0 * * * *' },
        ],
      }),
    ).toEqual([
      'schedules[0].journey: unknown journey "purchse" (known: purchase, renewal, seat-change)',
      'schedules[2]: journey "renewal" on target "sandbox" is already scheduled by schedules[1]',
    ]);
  });

  it('rejects an invalid cron expression in the config, naming the schedule and its journey', () => {
    expect(() =>
      plan({ schedules: [{ journey: 'purchase', target: 'sandbox', cron: '61 * * * *' }] }),
    ).toThrow(
      'schedules[0].cron: is not a valid cron expression: invalid value for minute: 61 (journey "purchase")',
    );
  });
});

/** What a check threw: its class and its problems (the message's, split, for a UsageError). */
function thrown(check: () => unknown): { kind: string; problems: readonly string[] } {
  try {
    check();
  } catch (error) {
    if (error instanceof ConfigError) return { kind: 'ConfigError', problems: error.problems };
    if (error instanceof UsageError) return { kind: 'UsageError', problems: error.message.split('; ') };
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('checkSchedules: serve before any browser, every problem at once', () => {
  const paying = new Map([
    ['purchase', journey('purchase', 'active', { params: { seats: { type: 'int', min: 1, max: 9 } } })],
    ['renewal', journey('renewal', 'renewable')],
  ]);
  const qa = {
    baseUrl: 'https://qa.example.com',
    accounts: { default: { emailEnv: 'QA_EMAIL', passwordEnv: 'QA_PW' } },
    params: { seats: '12' },
  };
  const check = (raw: unknown, env: NodeJS.ProcessEnv = {}) => {
    const config = parseConfig(raw, 'test.yaml');
    return () => checkSchedules(config, paying, targetSpecs(config), env);
  };

  it("the plan's problems, each target's secrets and parameters and the status password in one ConfigError", () => {
    expect(
      thrown(
        check({
          targets: { qa },
          statusAuth: { username: 'oncall', passwordEnv: 'STATUS_PW' },
          schedules: [
            { journey: 'purchase', target: 'qa' },
            { journey: 'purchase', target: 'qa', cron: '0 * * * *' },
            { journey: 'renewl', target: 'qa' },
          ],
        }),
      ),
    ).toEqual({
      kind: 'ConfigError',
      problems: [
        'schedules[1]: journey "purchase" on target "qa" is already scheduled by schedules[0]',
        'schedules[2].journey: unknown journey "renewl" (known: purchase, renewal)',
        'target "qa": secret QA_EMAIL is not set (set QA_EMAIL or QA_EMAIL_FILE)',
        'target "qa": secret QA_PW is not set (set QA_PW or QA_PW_FILE)',
        'target "qa": param "seats" of journey "purchase" must be a whole number from 1 to 9, got "12"',
        'statusAuth.passwordEnv: secret STATUS_PW is not set (set STATUS_PW or STATUS_PW_FILE)',
      ],
    });
  });

  it('what targets lack alone is one line as `run` gives it, without the file', () => {
    expect(
      thrown(
        check({ targets: { qa }, schedules: [{ journey: 'purchase', target: 'qa' }] }, { QA_EMAIL: 'a@b.c' }),
      ),
    ).toEqual({
      kind: 'UsageError',
      problems: [
        'target "qa": secret QA_PW is not set (set QA_PW or QA_PW_FILE)',
        'target "qa": param "seats" of journey "purchase" must be a whole number from 1 to 9, got "12"',
      ],
    });
  });

  it('checks only the targets scheduled, and passes when nothing lacks', () => {
    const raw = {
      targets: { qa: { ...qa, params: { seats: '2' } } },
      schedules: [{ journey: 'renewal', target: 'sandbox' }],
    };
    const config = parseConfig(raw, 'test.yaml');
    expect(checkSchedules(config, paying, targetSpecs(config), {}).map((e) => e.id)).toEqual([
      'renewal@sandbox',
    ]);
    const onQa = parseConfig({ ...raw, schedules: [{ journey: 'purchase', target: 'qa' }] }, 'test.yaml');
    expect(checkSchedules(onQa, paying, targetSpecs(onQa), { QA_EMAIL: 'a@b.c', QA_PW: 'pw' })).toHaveLength(
      1,
    );
  });

  it("a replica checks the secrets of its own shard's targets only", () => {
    const config = parseConfig(
      {
        targets: { qa: { ...qa, params: { seats: '2' } } },
        schedules: [
          { journey: 'purchase', target: 'qa' },
          { journey: 'renewal', target: 'sandbox' },
        ],
      },
      'test.yaml',
    );
    const verdicts = [0, 1].map((index) => {
      try {
        return checkSchedules(config, paying, targetSpecs(config), {}, { index, count: 2 }).map((e) => e.id);
      } catch (error) {
        return error instanceof UsageError ? error.message : error;
      }
    });
    // One replica owns purchase@qa and lacks its secrets; the other never reads them.
    const lacking =
      'target "qa": secret QA_EMAIL is not set (set QA_EMAIL or QA_EMAIL_FILE); target "qa": secret QA_PW is not set (set QA_PW or QA_PW_FILE)';
    expect(verdicts.filter((v) => v === lacking)).toHaveLength(1);
    expect(verdicts.filter((v) => Array.isArray(v) && !v.includes('purchase@qa'))).toHaveLength(1);
  });
});

describe('loadServeConfig: a file with problems gets the later checks too, on what of it could be read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prober-serve-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const problemsOf = async (name: string, yaml: string, env: NodeJS.ProcessEnv = {}) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, yaml);
    const error = await loadServeConfig(file, env, dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  };

  it('a target that failed its own checks is neither unknown to its schedules nor checked for secrets and params', async () => {
    expect(
      await problemsOf(
        'broken-target',
        [
          'targets:',
          "  qa: { baseUrl: 'nope', accounts: { default: { emailEnv: QA_EMAIL, passwordEnv: QA_PW } } }",
          'schedules:',
          '  - { journey: renewal, target: qa }',
          '  - { journey: renewal, target: qa }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'targets.qa.baseUrl: must be an http(s) URL',
      'schedules[1]: journey "renewal" on target "qa" is already scheduled by schedules[0]',
    ]);
  });

  it("bad defaults are reported, and the schedules' journeys are still checked", async () => {
    expect(
      await problemsOf(
        'bad-defaults',
        [
          "defaults: { cron: '0 25 * * *' }",
          'schedules:',
          '  - { journey: purchse, target: sandbox }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'defaults.cron: is not a valid cron expression: invalid value for hour: 25',
      'schedules[0].journey: unknown journey "purchse" (known: purchase, renewal, seat-change)',
    ]);
  });

  it('a schedule that failed keeps its journey and target for the name checks; one without them is skipped', async () => {
    expect(
      await problemsOf(
        'bad-schedule',
        [
          'schedules:',
          '  - { journey: purchse, target: sandbox, jitterMs: -1 }',
          '  - { journey: 7, target: sandbox }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'schedules[0].jitterMs: Too small: expected number to be >=0 (journey "purchse")',
      'schedules[1].journey: Invalid input: expected string, received number',
      'schedules[0].journey: unknown journey "purchse" (known: purchase, renewal, seat-change)',
    ]);
  });

  it("a malformed journeysDir skips every later check; the status page's password is checked", async () => {
    expect(
      await problemsOf(
        'bad-dir',
        ['journeysDir: 5', 'schedules:', '  - { journey: purchse, target: sandbox }', ''].join('\n'),
      ),
    ).toEqual(['journeysDir: Invalid input: expected string, received number']);
    expect(
      await problemsOf(
        'status-password',
        [
          'retries: 9',
          'statusAuth: { username: oncall, passwordEnv: STATUS_PW }',
          "listen: '0.0.0.0:99999'",
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'retries: Too big: expected number to be <=5',
      'listen: port must be from 0 to 65535',
      'statusAuth.passwordEnv: secret STATUS_PW is not set (set STATUS_PW or STATUS_PW_FILE)',
    ]);
  });
});
