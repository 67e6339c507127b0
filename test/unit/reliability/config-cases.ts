import { stringify } from 'yaml';
import { Prng } from './prng.js';

/** One malformed configuration file and what its one-line error must mention. */
export interface ConfigCase {
  readonly name: string;
  /** `.yaml` or `.json`. */
  readonly ext: string;
  readonly text: string;
  /** Texts of which the error line must contain one (the path of the problem, or its kind). */
  readonly mentions: readonly string[];
}

/** A configuration that loads: every mutation below breaks exactly one thing in it. */
export function validConfig(): Record<string, unknown> {
  return {
    journeysDir: 'journeys',
    concurrency: 2,
    retries: 1,
    trace: 'off',
    shutdownGraceMs: 1000,
    listen: '127.0.0.1:9464',
    targets: {
      stage: {
        baseUrl: 'https://portal.example.com',
        allowPurchases: false,
        params: { plan: 'premium' },
        latencyBudgetMs: { purchase: 5000 },
        accounts: { default: { emailEnv: 'STAGE_EMAIL', passwordEnv: 'STAGE_PASSWORD' } },
      },
    },
    schedules: [
      {
        journey: 'purchase',
        target: 'stage',
        cron: '*/5 * * * *',
        timezone: 'UTC',
        jitterMs: 10,
        runOnStart: false,
      },
    ],
    defaults: { cron: '*/10 * * * *', jitterMs: 100, runOnStart: false },
    artifacts: { dir: 'artifacts', maxRuns: 10, maxBytes: 1_000_000 },
    results: { path: 'results/runs.jsonl', maxBytes: 1_000_000, retainRuns: 100 },
    browser: { headless: true, recycleAfterRuns: 50, args: ['--lang=en'] },
    statusAuth: { username: 'ops', passwordEnv: 'STATUS_PASSWORD' },
  };
}

type Kind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'url'
  | 'cron'
  | 'timezone'
  | 'name'
  | 'env'
  | 'listen'
  | 'trace'
  | 'args';

/** Leaves of the valid config: where a mutation goes, what kind of value it holds, how errors name it. */
const LEAVES: readonly { path: readonly (string | number)[]; kind: Kind }[] = [
  { path: ['journeysDir'], kind: 'string' },
  { path: ['concurrency'], kind: 'number' },
  { path: ['retries'], kind: 'number' },
  { path: ['trace'], kind: 'trace' },
  { path: ['shutdownGraceMs'], kind: 'number' },
  { path: ['listen'], kind: 'listen' },
  { path: ['targets', 'stage', 'baseUrl'], kind: 'url' },
  { path: ['targets', 'stage', 'allowPurchases'], kind: 'boolean' },
  { path: ['targets', 'stage', 'params', 'plan'], kind: 'string' },
  { path: ['targets', 'stage', 'latencyBudgetMs', 'purchase'], kind: 'number' },
  { path: ['targets', 'stage', 'accounts', 'default', 'passwordEnv'], kind: 'env' },
  { path: ['schedules', 0, 'journey'], kind: 'string' },
  { path: ['schedules', 0, 'target'], kind: 'name' },
  { path: ['schedules', 0, 'cron'], kind: 'cron' },
  { path: ['schedules', 0, 'timezone'], kind: 'timezone' },
  { path: ['schedules', 0, 'jitterMs'], kind: 'number' },
  { path: ['schedules', 0, 'runOnStart'], kind: 'boolean' },
  { path: ['defaults', 'cron'], kind: 'cron' },
  { path: ['defaults', 'jitterMs'], kind: 'number' },
  { path: ['defaults', 'runOnStart'], kind: 'boolean' },
  { path: ['artifacts', 'dir'], kind: 'string' },
  { path: ['artifacts', 'maxRuns'], kind: 'number' },
  { path: ['artifacts', 'maxBytes'], kind: 'number' },
  { path: ['results', 'path'], kind: 'string' },
  { path: ['results', 'maxBytes'], kind: 'number' },
  { path: ['results', 'retainRuns'], kind: 'number' },
  { path: ['browser', 'headless'], kind: 'boolean' },
  { path: ['browser', 'recycleAfterRuns'], kind: 'number' },
  { path: ['browser', 'args'], kind: 'args' },
  { path: ['statusAuth', 'username'], kind: 'string' },
  { path: ['statusAuth', 'passwordEnv'], kind: 'env' },
];

const OBJECTS: readonly (readonly (string | number)[])[] = [
  [],
  ['targets', 'stage'],
  ['targets', 'stage', 'accounts', 'default'],
  ['schedules', 0],
  ['defaults'],
  ['artifacts'],
  ['results'],
  ['browser'],
  ['statusAuth'],
];

const NOT_A_STRING = [42, true, null, [], {}, ['a']];
/** Wrong for every kind of leaf. */
const WRONG_TYPE: Record<Kind, readonly unknown[]> = {
  string: NOT_A_STRING,
  number: ['5', true, null, [], {}, -1, 1.5, -0.001, Number.NaN, Number.POSITIVE_INFINITY, -1e15],
  boolean: ['yes', 'true', 1, 0, null, [], {}],
  url: [
    ...NOT_A_STRING,
    'ftp://portal.example.com',
    'not a url',
    'http://',
    'javascript:alert(1)',
    'portal.example.com',
    '',
  ],
  cron: [
    ...NOT_A_STRING,
    '',
    '* * *',
    '61 * * * *',
    'every minute',
    '* * * * * * *',
    '*/x * * * *',
    '0 0 32 * *',
  ],
  timezone: [...NOT_A_STRING, 'Mars/Olympus_Mons', 'UTC+25', ''],
  name: [...NOT_A_STRING, 'Stage', 'a b', '-x', 'stage_1', ''],
  env: [...NOT_A_STRING, '1ABC', 'A-B', 'A B', '', 'PASS$WORD'],
  listen: [...NOT_A_STRING, 'localhost', ':9464', '127.0.0.1', 'host:port', '127.0.0.1:999999', ''],
  trace: ['sometimes', 'ON', 1, null, [], ''],
  args: ['--lang=en', [1], [null], {}, [['nested']]],
};
/** Numbers out of range for one field. */
const OUT_OF_RANGE: readonly { path: readonly (string | number)[]; values: readonly number[] }[] = [
  { path: ['concurrency'], values: [0, 33, 1e12, 1e308] },
  { path: ['retries'], values: [6, 1e6, 1e308] },
  { path: ['artifacts', 'maxRuns'], values: [0] },
  { path: ['results', 'retainRuns'], values: [0] },
  { path: ['targets', 'stage', 'latencyBudgetMs', 'purchase'], values: [0] },
];

/** `schedules[0].cron`, as the loader prints paths. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('');
}

function setAt(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = root;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
}

function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** JSON or YAML; deep values as JSON text in either file (JSON is YAML), as yaml's own stringify recurses. */
function serialise(config: unknown, prng: Prng, deep = false): { ext: string; text: string } {
  const json = prng.next() < 0.5;
  return { ext: json ? '.json' : '.yaml', text: json || deep ? JSON.stringify(config) : stringify(config) };
}

/** `count` malformed configurations, deterministic for a seed. */
export function configCases(seed: number, count: number): ConfigCase[] {
  const prng = new Prng(seed);
  const cases: ConfigCase[] = [];
  const add = (name: string, config: unknown, mention: string, deep = false): void => {
    // A YAML parser may give up on deep nesting before the schema sees the value.
    const mentions = deep ? [mention, 'not valid YAML: nested too deeply'] : [mention];
    cases.push({ name, mentions, ...serialise(config, prng, deep) });
  };

  while (cases.length < count) {
    const config = validConfig();
    const roll = prng.next();
    if (roll < 0.55) {
      const leaf = prng.pick(LEAVES);
      const value = prng.pick(WRONG_TYPE[leaf.kind]);
      setAt(config, leaf.path, value);
      // JSON has no NaN or Infinity: they become null, which is just as wrong.
      add(`${formatPath(leaf.path)} = ${String(JSON.stringify(value))}`, config, formatPath(leaf.path));
    } else if (roll < 0.7) {
      const where = prng.pick(OBJECTS);
      const key = `x${prng.string(prng.int(1, 12), 'abcdefghijklmnopqrstuvwxyz_0123456789')}`;
      const target =
        where.length === 0
          ? config
          : (where.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], config) as Record<
              string,
              unknown
            >);
      target[key] = prng.pick([1, 'x', null, { y: 1 }]);
      add(`unknown key ${key} at ${formatPath(where) || '(root)'}`, config, `unknown key "${key}"`);
    } else if (roll < 0.8) {
      const range = prng.pick(OUT_OF_RANGE);
      const value = prng.pick(range.values);
      setAt(config, range.path, value);
      add(`${formatPath(range.path)} = ${value}`, config, formatPath(range.path));
    } else if (roll < 0.88) {
      const leaf = prng.pick(LEAVES);
      const depth = prng.pick([10, 100, 1000, 3000]);
      setAt(config, leaf.path, nested(depth));
      add(`${formatPath(leaf.path)} nested ${depth} deep`, config, formatPath(leaf.path), true);
    } else if (roll < 0.94) {
      const cross = prng.int(0, 2);
      if (cross === 0) {
        setAt(config, ['schedules', 0, 'target'], 'nowhere');
        add('schedule on an unknown target', config, 'unknown target "nowhere"');
      } else if (cross === 1) {
        setAt(config, ['targets', 'stage', 'accounts', 'default', 'email'], 'qa@example.com');
        add('account with email and emailEnv', config, 'give exactly one of email or emailEnv');
      } else {
        setAt(config, ['targets', 'brand-new'], { allowPurchases: true });
        add('new target without baseUrl', config, 'targets.brand-new.baseUrl: required');
      }
    } else {
      // Not a document at all: truncated, binary, deeply nested flow collections.
      const valid = stringify(validConfig());
      const texts: readonly { text: string; ext: string }[] = [
        { text: valid.slice(0, prng.int(5, valid.length - 5)) + ': : [', ext: '.yaml' },
        { text: JSON.stringify(validConfig()).slice(0, prng.int(2, 200)), ext: '.json' },
        { text: `${'['.repeat(5000)}${']'.repeat(5000)}`, ext: '.yaml' },
        { text: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, ext: '.json' },
        { text: prng.string(200, '\u0000\u0001{}[]:,"\'\n\t abc'), ext: '.yaml' },
        { text: '- just\n- a\n- list\n', ext: '.yaml' },
        { text: '"a string"', ext: '.json' },
      ];
      const chosen = prng.pick(texts);
      cases.push({
        name: `not a config (${cases.length})`,
        ext: chosen.ext,
        text: chosen.text,
        mentions: [''],
      });
    }
  }
  return cases;
}
