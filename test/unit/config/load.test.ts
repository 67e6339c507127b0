import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import { loadConfig, parseConfig } from '../../../src/config/load.js';

/** Each bad config and the message it must give: every problem is named by its path. */
const BAD: readonly [string, unknown, readonly string[]][] = [
  ['unknown top-level key', { concurency: 2 }, ['unknown key "concurency"']],
  [
    'concurrency not a number',
    { concurrency: 'two' },
    ['concurrency: Invalid input: expected number, received string'],
  ],
  ['concurrency zero', { concurrency: 0 }, ['concurrency: Too small: expected number to be >=1']],
  [
    'a card number in params',
    { targets: { staging: { params: { cardNumber: '4111 1111 1111 1111' } } } },
    [
      `targets.staging.params.cardNumber: a secret, not a param: name the environment variable holding it in the target's card.numberEnv`,
    ],
  ],
  [
    'a CVV in params',
    { targets: { qa: { baseUrl: 'https://qa.example', params: { cardCvv: '123' } } } },
    ['targets.qa.params.cardCvv: a secret, not a param', "in the target's card.cvvEnv"],
  ],
  [
    'a card with a bad variable name',
    { targets: { staging: { card: { numberEnv: 'CARD NUMBER', cvvEnv: 'CVV' } } } },
    ['targets.staging.card.numberEnv: must be an environment variable name'],
  ],
  ['retries above the bound', { retries: 9 }, ['retries: Too big: expected number to be <=5']],
  [
    'trace policy unknown',
    { trace: 'always' },
    ['trace: Invalid option: expected one of "on"|"off"|"retain-on-failure"'],
  ],
  [
    'target name not kebab-case',
    { targets: { Staging2: { baseUrl: 'https://x.example' } } },
    ['targets.Staging2: invalid name: must be kebab-case'],
  ],
  [
    'target URL not http',
    { targets: { qa: { baseUrl: 'ftp://x.example' } } },
    ['targets.qa.baseUrl: must be an http(s) URL'],
  ],
  [
    'target URL not a URL',
    { targets: { qa: { baseUrl: 'customers' } } },
    ['targets.qa.baseUrl: must be an http(s) URL'],
  ],
  [
    'new target without URL',
    { targets: { qa: { allowPurchases: true } } },
    ['targets.qa.baseUrl: required for a target that is not built in'],
  ],
  [
    'unknown key in a target',
    { targets: { qa: { baseUrl: 'https://x.example', password: 'hunter2' } } },
    ['targets.qa: unknown key "password"'],
  ],
  [
    'password env not a variable name',
    {
      targets: {
        qa: {
          baseUrl: 'https://x.example',
          accounts: { default: { email: 'a@b.c', passwordEnv: 'my password' } },
        },
      },
    },
    ['targets.qa.accounts.default.passwordEnv: must be an environment variable name'],
  ],
  [
    'account with both email and emailEnv',
    {
      targets: {
        qa: {
          baseUrl: 'https://x.example',
          accounts: { default: { email: 'a@b.c', emailEnv: 'E', passwordEnv: 'P' } },
        },
      },
    },
    ['targets.qa.accounts.default: give exactly one of email or emailEnv'],
  ],
  [
    'account for an unknown state',
    {
      targets: {
        qa: { baseUrl: 'https://x.example', accounts: { expired: { email: 'a@b.c', passwordEnv: 'P' } } },
      },
    },
    ['targets.qa.accounts: unknown key "expired"'],
  ],
  [
    'bad cron in a schedule',
    { schedules: [{ journey: 'purchase', target: 'sandbox', cron: 'every 5 minutes' }] },
    ['schedules[0].cron: is not a valid cron expression'],
  ],
  [
    'bad default cron',
    { defaults: { cron: '61 * * * *' } },
    ['defaults.cron: is not a valid cron expression'],
  ],
  [
    'unknown time zone',
    { schedules: [{ journey: 'purchase', target: 'sandbox', timezone: 'Mars/Olympus' }] },
    ['schedules[0].timezone: is not a known IANA time zone'],
  ],
  [
    'schedule for an unknown target',
    { schedules: [{ journey: 'purchase', target: 'qa' }] },
    ['schedules[0].target: unknown target "qa"'],
  ],
  ['negative jitter', { defaults: { jitterMs: -1 } }, ['defaults.jitterMs: Too small']],
  ['listen without a port', { listen: '0.0.0.0' }, ['listen: must be HOST:PORT']],
  [
    'schedules not a list',
    { schedules: { journey: 'purchase' } },
    ['schedules: Invalid input: expected array, received object'],
  ],
  ['results size zero', { results: { maxBytes: 0 } }, ['results.maxBytes: Too small']],
  ['root not an object', ['purchase'], ['(root): Invalid input: expected object, received array']],
];

describe('config validation', () => {
  it.each(BAD)('rejects %s', (_name, raw, expected) => {
    let error: unknown;
    try {
      parseConfig(raw, 'test.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message.startsWith('test.yaml: ')).toBe(true);
    expect(message).not.toContain('\n');
    for (const part of expected) expect(message).toContain(part);
  });

  it('collects every problem instead of stopping at the first', () => {
    const raw = { concurrency: 0, trace: 'x', listen: 'nope', targets: { qa: { baseUrl: 'nope' } } };
    const error = (() => {
      try {
        parseConfig(raw, 'c.json');
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(error.problems).toHaveLength(4);
  });

  it('fills defaults and freezes the result', () => {
    const config = parseConfig({}, 'defaults', '/srv');
    expect(config.concurrency).toBe(2);
    expect(config.defaults.cron).toBe('*/5 * * * *');
    expect(config.trace).toBe('on-first-retry');
    expect(config.journeysDir).toBe('/srv/journeys');
    expect(config.results.path).toBe('/srv/results/runs.jsonl');
    expect(Object.isFrozen(config.defaults)).toBe(true);
  });

  it('accepts a complete config', () => {
    const config = parseConfig(
      {
        targets: {
          staging: { allowPurchases: false },
          qa: {
            baseUrl: 'https://qa.example',
            accounts: { default: { emailEnv: 'QA_EMAIL', passwordEnv: 'QA_PASSWORD' } },
            params: { plan: 'premium' },
            latencyBudgetMs: { purchase: 30000 },
          },
        },
        schedules: [
          { journey: '*', target: 'qa', cron: '*/30 * * * * *', timezone: 'Europe/Berlin', jitterMs: 0 },
        ],
        listen: '[::1]:9464',
      },
      'ok.yaml',
    );
    expect(config.schedules[0]?.cron).toBe('*/30 * * * * *');
  });
});

describe('config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prober-config-'));

  it('reads YAML and resolves paths relative to the file', () => {
    writeFileSync(join(dir, 'a.yaml'), 'concurrency: 3\njourneysDir: ./mine\n');
    const config = loadConfig(join(dir, 'a.yaml'), {});
    expect(config.concurrency).toBe(3);
    expect(config.journeysDir).toBe(join(dir, 'mine'));
  });

  it('names a YAML syntax error with the file', () => {
    writeFileSync(join(dir, 'b.yaml'), 'concurrency: [1\n');
    expect(() => loadConfig(join(dir, 'b.yaml'), {})).toThrow(/b\.yaml: not valid YAML/);
  });

  it('names a JSON syntax error with the file', () => {
    writeFileSync(join(dir, 'c.json'), '{"concurrency": }');
    expect(() => loadConfig(join(dir, 'c.json'), {})).toThrow(/c\.json: not valid JSON/);
  });

  it('says when a named config file does not exist', () => {
    expect(() => loadConfig(join(dir, 'none.yaml'), {})).toThrow(/none\.yaml: config file not found/);
  });

  it('uses PROBER_CONFIG when no file is given, and defaults when nothing is there', () => {
    writeFileSync(join(dir, 'd.json'), '{"retries": 2}');
    expect(loadConfig(undefined, { PROBER_CONFIG: join(dir, 'd.json') }).retries).toBe(2);
    expect(loadConfig(undefined, {}, mkdtempSync(join(tmpdir(), 'empty-'))).source).toBe('defaults');
  });
});
