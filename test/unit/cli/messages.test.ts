import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { colorFor } from '../../../src/sinks/stdout.js';
import { runCli } from '../reliability/cli-capture.js';

/**
 * Bad command lines, crons and configs, each with the exact one line it must give (issue 17):
 * commander's suggestions kept, cron errors naming the field and value, every config
 * problem of a file at once (a schedule's unknown journey too), journey parameters checked
 * at load, Playwright's hint for --headed without a display. None starts a browser; all exit 2.
 */
const dir = mkdtempSync(join(tmpdir(), 'prober-messages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, yaml: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

const cron61 = config(
  'cron61',
  "schedules:\n  - { journey: purchase, target: sandbox, cron: '61 * * * *' }\n",
);
const cron4 = config('cron4', "schedules:\n  - { journey: purchase, target: sandbox, cron: '* * * *' }\n");
const cronStep = config('cron-step', "defaults: { cron: '*/0 * * * *' }\n");
const cronHour = config('cron-hour', "defaults: { cron: '0 25 * * *' }\n");
const cronJunk = config('cron-junk', "defaults: { cron: 'every 5 minutes' }\n");
const many = config(
  'many',
  [
    'concurrency: 0',
    'retries: 9',
    'trace: sometimes',
    'targets:',
    "  qa: { baseUrl: 'not a url' }",
    'schedules:',
    "  - { journey: purchase, target: sandbox, cron: '0 25 * * *' }",
    '',
  ].join('\n'),
);
const unknownJourneyToo = config(
  'unknown-journey-too',
  [
    'concurrency: 0',
    'targets:',
    '  qa: { allowPurchases: true }',
    'schedules:',
    "  - { journey: purchace, target: sandbox, cron: '*/5 * * * *' }",
    "  - { journey: renewal, target: qa, cron: '*/5 * * * *' }",
    '',
  ].join('\n'),
);
const missingParams = config(
  'missing-params',
  ['targets:', "  sandbox: { params: { country: '', purchaseSeats: 'lots' } }", ''].join('\n'),
);
const missingParamServe = config(
  'missing-param-serve',
  [
    'targets:',
    "  sandbox: { params: { cardHolder: '' } }",
    'schedules:',
    "  - { journey: seat-change, target: sandbox, cron: '*/5 * * * *' }",
    '',
  ].join('\n'),
);
const everyKind = config(
  'every-kind',
  [
    'retries: 9',
    'targets:',
    "  sandbox: { params: { cardHolder: '' } }",
    "  qa: { baseUrl: 'not a url' }",
    'schedules:',
    "  - { journey: seat-change, target: sandbox, cron: '*/5 * * * *' }",
    "  - { journey: seat-change, target: sandbox, cron: '*/10 * * * *' }",
    "  - { journey: purchace, target: sandbox, cron: '61 * * * *' }",
    '  - { journey: renewal, target: qa }',
    '',
  ].join('\n'),
);
const validButUnplannable = config(
  'valid-but-unplannable',
  [
    'targets:',
    "  sandbox: { params: { cardHolder: '', purchaseSeats: 'lots' } }",
    'schedules:',
    '  - { journey: seat-change, target: sandbox }',
    "  - { journey: seat-change, target: sandbox, cron: '*/10 * * * *' }",
    '  - { journey: purchase, target: sandbox }',
    '  - { journey: renewl, target: sandbox }',
    '',
  ].join('\n'),
);
const secretsToo = config(
  'secrets-too',
  ['concurrency: 0', 'schedules:', "  - { journey: purchase, target: staging, cron: '0 25 * * *' }", ''].join(
    '\n',
  ),
);
const schedulesMalformed = config(
  'schedules-malformed',
  [
    'concurrency: 0',
    "targets: { sandbox: { params: { cardHolder: '' } } }",
    'schedules: { journey: purchase }',
    '',
  ].join('\n'),
);
const unknownKey = config('unknown-key', 'colour: red\n');
const badYaml = config('bad-yaml', 'targets: [unclosed\n');

const CASES: ReadonlyArray<readonly [string, readonly string[], string]> = [
  [
    'a misspelt flag gets the suggestion',
    ['run', '--retires', '1'],
    "error: unknown option '--retires' (Did you mean --retries?)",
  ],
  [
    'a misspelt command gets the suggestion',
    ['rn', 'purchase'],
    "error: unknown command 'rn' (Did you mean run?)",
  ],
  ['list --jsn', ['list', '--jsn'], "error: unknown option '--jsn' (Did you mean --json?)"],
  ['an unknown flag without a near one', ['run', 'purchase', '--colour'], "error: unknown option '--colour'"],
  [
    '--repeat 0',
    ['run', 'purchase', '--repeat', '0'],
    "error: option '--repeat <n>' argument '0' is invalid. must be a whole number from 1 to 10000",
  ],
  [
    '--retries 6',
    ['run', 'purchase', '--retries', '6'],
    "error: option '--retries <n>' argument '6' is invalid. must be a whole number from 0 to 5",
  ],
  [
    '--slow-mo -5',
    ['run', 'purchase', '--slow-mo', '-5'],
    "error: option '--slow-mo <ms>' argument '-5' is invalid. must be a whole number from 0 to 60000",
  ],
  [
    '--trace maybe',
    ['run', 'purchase', '--trace', 'maybe'],
    "error: option '--trace <policy>' argument 'maybe' is invalid. Allowed choices are on, off, retain-on-failure, on-first-retry.",
  ],
  [
    '--base-url ftp',
    ['run', 'purchase', '--base-url', 'ftp://x'],
    "error: option '--base-url <url>' argument 'ftp://x' is invalid. must be an http(s) URL",
  ],
  [
    '--push not a URL',
    ['run', 'purchase', '--push', 'notaurl'],
    "error: option '--push <url>' argument 'notaurl' is invalid. must be an absolute http(s) URL",
  ],
  [
    'names and --all',
    ['run', '--all', 'purchase'],
    'journey-prober: name journeys or pass --all, not both (got purchase)',
  ],
  [
    'an unknown target',
    ['run', 'purchase', '--target', 'stagin'],
    'journey-prober: unknown target "stagin" (known: sandbox, staging, production)',
  ],
  [
    'a missing secret',
    ['run', 'purchase', '--target', 'staging'],
    'journey-prober: secret PROBER_STAGING_EMAIL is not set (set PROBER_STAGING_EMAIL or PROBER_STAGING_EMAIL_FILE)',
  ],
  [
    'a missing config file',
    ['list', '--config', join(dir, 'nope.yaml')],
    `journey-prober: ${join(dir, 'nope.yaml')}: config file not found`,
  ],
  [
    'cron minute 61 names the field and value',
    ['serve', '--config', cron61],
    `journey-prober: ${cron61}: schedules[0].cron: is not a valid cron expression: invalid value for minute: 61 (journey "purchase")`,
  ],
  [
    'cron of 4 fields',
    ['serve', '--config', cron4],
    `journey-prober: ${cron4}: schedules[0].cron: is not a valid cron expression: 4 fields, need 5 (minute hour day month weekday) or 6 (seconds first) (journey "purchase")`,
  ],
  [
    'cron step 0',
    ['serve', '--config', cronStep],
    `journey-prober: ${cronStep}: defaults.cron: is not a valid cron expression: syntax error, illegal stepping: 0`,
  ],
  [
    'cron hour 25',
    ['serve', '--config', cronHour],
    `journey-prober: ${cronHour}: defaults.cron: is not a valid cron expression: invalid value for hour: 25`,
  ],
  [
    'cron in words',
    ['serve', '--config', cronJunk],
    `journey-prober: ${cronJunk}: defaults.cron: is not a valid cron expression: 3 fields, need 5 (minute hour day month weekday) or 6 (seconds first)`,
  ],
  [
    'every config problem at once',
    ['serve', '--config', many],
    `journey-prober: ${many}: targets.qa.baseUrl: must be an http(s) URL; schedules[0].cron: is not a valid cron expression: invalid value for hour: 25 (journey "purchase"); concurrency: Too small: expected number to be >=1; retries: Too big: expected number to be <=5; trace: Invalid option: expected one of "on"|"off"|"retain-on-failure"|"on-first-retry"`,
  ],
  [
    "every problem at once: the schema's, the cross-field ones and a schedule's unknown journey",
    ['serve', '--config', unknownJourneyToo],
    `journey-prober: ${unknownJourneyToo}: concurrency: Too small: expected number to be >=1; targets.qa.baseUrl: required for a target that is not built in; schedules[0].journey: unknown journey "purchace" (known: purchase, renewal, seat-change)`,
  ],
  [
    'journey parameters are checked at load, every one at once, before any browser',
    ['run', 'purchase', '--config', missingParams],
    'journey-prober: target "sandbox": param "purchaseSeats" of journey "purchase" must be a whole number from 1 to 10000, got "lots"; target "sandbox": journey "purchase" needs param "country" (set targets.sandbox.params.country)',
  ],
  [
    "serve checks its schedules' journey parameters before any browser",
    ['serve', '--config', missingParamServe],
    'journey-prober: target "sandbox": journey "seat-change" needs param "cardHolder" (set targets.sandbox.params.cardHolder)',
  ],
  [
    "every kind at once: the schema's, a target's, the schedules' plan, a journey name, a parameter",
    ['serve', '--config', everyKind],
    `journey-prober: ${everyKind}: targets.qa.baseUrl: must be an http(s) URL; schedules[2].cron: is not a valid cron expression: invalid value for minute: 61 (journey "purchace"); retries: Too big: expected number to be <=5; schedules[1]: journey "seat-change" on target "sandbox" is already scheduled by schedules[0]; schedules[2].journey: unknown journey "purchace" (known: purchase, renewal, seat-change); target "sandbox": journey "seat-change" needs param "cardHolder" (set targets.sandbox.params.cardHolder)`,
  ],
  [
    "a file the schema accepts: the plan's problems and each target's parameters, at once",
    ['serve', '--config', validButUnplannable],
    `journey-prober: ${validButUnplannable}: schedules[1]: journey "seat-change" on target "sandbox" is already scheduled by schedules[0]; schedules[3].journey: unknown journey "renewl" (known: purchase, renewal, seat-change); target "sandbox": journey "seat-change" needs param "cardHolder" (set targets.sandbox.params.cardHolder); target "sandbox": param "purchaseSeats" of journey "purchase" must be a whole number from 1 to 10000, got "lots"; target "sandbox": journey "purchase" needs param "cardHolder" (set targets.sandbox.params.cardHolder)`,
  ],
  [
    "the schema's problems and every secret the schedules' target lacks",
    ['serve', '--config', secretsToo],
    `journey-prober: ${secretsToo}: schedules[0].cron: is not a valid cron expression: invalid value for hour: 25 (journey "purchase"); concurrency: Too small: expected number to be >=1; target "staging": secret PROBER_STAGING_EMAIL is not set (set PROBER_STAGING_EMAIL or PROBER_STAGING_EMAIL_FILE); target "staging": secret PROBER_STAGING_PASSWORD is not set (set PROBER_STAGING_PASSWORD or PROBER_STAGING_PASSWORD_FILE); target "staging": secret PROBER_STAGING_CARD_NUMBER is not set (set PROBER_STAGING_CARD_NUMBER or PROBER_STAGING_CARD_NUMBER_FILE); target "staging": secret PROBER_STAGING_CARD_CVV is not set (set PROBER_STAGING_CARD_CVV or PROBER_STAGING_CARD_CVV_FILE)`,
  ],
  [
    'a malformed schedules key skips only the checks that read it',
    ['serve', '--config', schedulesMalformed],
    `journey-prober: ${schedulesMalformed}: schedules: Invalid input: expected array, received object; concurrency: Too small: expected number to be >=1`,
  ],
  [
    'an unknown config key',
    ['list', '--config', unknownKey],
    `journey-prober: ${unknownKey}: unknown key "colour"`,
  ],
  [
    "YAML that does not parse keeps the parser's line and column",
    ['list', '--config', badYaml],
    `journey-prober: ${badYaml}: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1`,
  ],
];

describe('every bad input: one line, the exact message, exit 2', () => {
  it.each(CASES)('%s', async (_name, argv, message) => {
    const out = await runCli(argv);
    expect(out.stderr).toBe(`${message}\n`);
    expect(out.code).toBe(2);
  });
});

describe('--headed without a display', () => {
  const saved = { DISPLAY: process.env.DISPLAY, WAYLAND_DISPLAY: process.env.WAYLAND_DISPLAY };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved))
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  });

  it("keeps Playwright's hint (xvfb-run) and exits 2 before any browser starts", async () => {
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
    const out = await runCli(['run', 'purchase', '--headed']);
    expect(out.stderr).toBe(
      'journey-prober: --headed needs a display and neither DISPLAY nor WAYLAND_DISPLAY is set: run it under xvfb-run (xvfb-run journey-prober …), or headless\n',
    );
    expect(out.code).toBe(2);
  });
});

describe('colour (NO_COLOR, FORCE_COLOR)', () => {
  it.each([
    ['a terminal', true, {}, true],
    ['a pipe', false, {}, false],
    ['NO_COLOR on a terminal', true, { NO_COLOR: '1' }, false],
    ['an empty NO_COLOR is not set (no-color.org)', true, { NO_COLOR: '' }, true],
    ['FORCE_COLOR on a pipe', false, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR=0 on a terminal is not a force', true, { FORCE_COLOR: '0' }, true],
    ['FORCE_COLOR wins over NO_COLOR', false, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ] as const)('%s', (_name, isTTY, env, color) => {
    expect(colorFor({ isTTY }, env)).toBe(color);
  });
});
