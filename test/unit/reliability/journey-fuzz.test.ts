import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-capture.js';
import { FUZZ_SEED, Prng } from './prng.js';

/**
 * Broken journey files, generated with a fixed seed: syntax errors (a valid file cut at
 * random points), wrong exports, throwing at import, bad names and fields. `run NAME` on
 * each is one line on stderr naming the file, exit 2, and no browser (the browser path
 * points nowhere: starting one would be exit 3).
 */
const VALID = `import { defineJourney } from 'journey-prober';

export default defineJourney({
  name: 'NAME',
  description: 'a journey',
  steps: ['one'],
  async run({ step }) {
    await step('one', async () => {});
  },
});
`;

const field = (name: string, extra: string): string => VALID.replace("  description: 'a journey',\n", extra);

/** [why, source] pairs; NAME is replaced by the file's journey name. */
function cases(prng: Prng): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < 30; i++) {
    const cut = prng.int(10, VALID.length - 12);
    out.push([`cut at ${cut}`, VALID.slice(0, cut)]);
  }
  for (let i = 0; i < 10; i++) {
    const at = prng.int(0, VALID.length - 1);
    out.push([
      `garbage at ${at}`,
      `${VALID.slice(0, at)} ${prng.string(prng.int(1, 6), ')]}{(@#;=<')} ${VALID.slice(at)}`,
    ]);
  }
  const exports: [string, string][] = [
    ['default 42', 'export default 42;'],
    ['default {}', 'export default {};'],
    ['default null', 'export default null;'],
    ['default function', 'export default function () {}'],
    ['named only', VALID.replace('export default', 'export const journey =')],
    ['look-alike object', "export default { name: 'NAME', description: 'x', async run() {} };"],
    [
      'promise of a journey',
      VALID.replace('export default defineJourney(', 'export default Promise.resolve(defineJourney(').replace(
        /\}\);\n$/,
        '}));\n',
      ),
    ],
    ['empty file', ''],
    ['missing import', "import { nothing } from './does-not-exist.js';\nexport default nothing;"],
    ['unknown package', "import x from 'no-such-package-here';\nexport default x;"],
  ];
  const throws: [string, string][] = [
    ['throws Error', "throw new Error('boom at import');"],
    ['throws string', "throw 'a string';"],
    ['throws null', 'throw null;'],
    ['throws undefined', 'throw undefined;'],
    ['throws object', 'throw { code: 42 };'],
    ['rejects at top level', "await Promise.reject(new TypeError('late boom'));"],
    ['bad JSON at import', "JSON.parse('{');"],
    [
      'throws before define',
      `${VALID.replace('export default', "throw new RangeError('before');\nexport default")}`,
    ],
  ];
  const fields: [string, string][] = [
    ['name with space', VALID.replace("name: 'NAME'", "name: 'Bad Name'")],
    ['empty name', VALID.replace("name: 'NAME'", "name: ''")],
    ['numeric name', VALID.replace("name: 'NAME'", 'name: 42')],
    ['unicode name', VALID.replace("name: 'NAME'", "name: 'ünïcode'")],
    ['traversal name', VALID.replace("name: 'NAME'", "name: '../etc'")],
    ['no description', VALID.replace("  description: 'a journey',\n", '')],
    ['empty description', VALID.replace("description: 'a journey'", "description: '  '")],
    ['run not a function', VALID.replace(/async run\(\{ step \}\) \{[\s\S]*?\n {2}\},\n/, "run: 'go',\n")],
    ['negative timeout', field('x', "  description: 'a journey',\n  timeoutMs: -1,\n")],
    ['zero timeout', field('x', "  description: 'a journey',\n  timeoutMs: 0,\n")],
    [
      'string timeout',
      field('x', "  description: 'a journey',\n  timeoutMs: 'fast' as unknown as number,\n"),
    ],
    ['NaN step timeout', field('x', "  description: 'a journey',\n  stepTimeoutMs: Number.NaN,\n")],
    ['infinite budget', field('x', "  description: 'a journey',\n  latencyBudgetMs: -Infinity,\n")],
    ['duplicate steps', VALID.replace("steps: ['one']", "steps: ['one', 'one']")],
    [
      '21 steps',
      VALID.replace(
        "steps: ['one']",
        `steps: [${Array.from({ length: 21 }, (_, i) => `'s${i}'`).join(', ')}]`,
      ),
    ],
    ['bad account state', field('x', "  description: 'a journey',\n  accountState: 'bogus' as never,\n")],
  ];
  return [...out, ...exports, ...throws, ...fields];
}

const CASES = cases(new Prng(FUZZ_SEED));
const root = mkdtempSync(join(tmpdir(), 'prober-journey-fuzz-'));
const saved = process.env.PROBER_BROWSER_PATH;

beforeAll(() => {
  process.env.PROBER_BROWSER_PATH = '/nonexistent/fuzz/chromium';
});

afterAll(() => {
  if (saved === undefined) delete process.env.PROBER_BROWSER_PATH;
  else process.env.PROBER_BROWSER_PATH = saved;
  rmSync(root, { recursive: true, force: true });
});

describe('fuzz: broken journey files', () => {
  it(
    `${CASES.length} generated files: run NAME is one line naming the file, exit 2, no browser`,
    { timeout: 120_000 },
    async () => {
      expect(CASES.length).toBeGreaterThanOrEqual(60);
      const failures: string[] = [];
      for (const [i, [why, source]] of CASES.entries()) {
        const name = `fuzz-${i}`;
        const dir = join(root, name);
        mkdirSync(join(dir, 'journeys'), { recursive: true });
        const file = join(dir, 'journeys', `${name}.journey.ts`);
        writeFileSync(file, source.replace(/NAME/g, name));
        writeFileSync(join(dir, 'config.yaml'), 'journeysDir: journeys\n');
        const { code, stderr } = await runCli(['run', name, '--config', join(dir, 'config.yaml')]);
        const lines = stderr.split('\n').filter((l) => l !== '');
        const ok =
          code === 2 &&
          lines.length === 1 &&
          lines[0]!.startsWith('journey-prober: ') &&
          (lines[0]!.includes(`${name}.journey.ts`) || lines[0]!.includes(`journey "${name}"`)) &&
          !/internal error|\n\s+at /.test(stderr) &&
          // The line says something: not a bare value.
          !/\[object Object\]|\.ts(?::\d+)?: (?:undefined|null)$/.test(lines[0]!);
        if (!ok) failures.push(`#${i} ${why}: exit ${code}, stderr ${JSON.stringify(stderr.slice(0, 300))}`);
      }
      expect(failures).toEqual([]);
    },
  );

  it('the uncut file is a valid journey (so every case above is broken by its change alone)', async () => {
    const dir = join(root, 'valid');
    mkdirSync(join(dir, 'journeys'), { recursive: true });
    writeFileSync(join(dir, 'journeys', 'valid.journey.ts'), VALID.replace(/NAME/g, 'valid'));
    writeFileSync(join(dir, 'config.yaml'), 'journeysDir: journeys\n');
    const { code, stdout } = await runCli(['list', '--json', '--config', join(dir, 'config.yaml')]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ journeys: [{ name: 'valid', steps: ['one'] }] });
  });
});
