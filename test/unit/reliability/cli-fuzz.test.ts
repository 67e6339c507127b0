import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-capture.js';
import { FUZZ_SEED, Prng } from './prng.js';

/**
 * 220 generated argument lists, each with at least one defect (unknown command or flag,
 * bad number, bad choice, bad URL, missing value, unknown journey or target, missing
 * secret, missing config). Each is one line on stderr and exit 2, and never starts a
 * browser: the browser path points nowhere, so a run that got that far would exit 3.
 */
const WORD = 'abcdefghijklmnopqrstuvwxyz';
const JUNK = `${WORD}ÄÖü€✓ -_=:/.\\'"$;|&*?`;

function defect(prng: Prng): string[] {
  const journey = prng.pick(['purchase', 'renewal', 'seat-change']);
  switch (prng.int(0, 13)) {
    case 0:
      return [prng.pick(['runn', 'serv', 'lst', 'deploy', prng.string(prng.int(1, 10), WORD)])];
    case 1:
      return [
        prng.pick(['run', 'list', 'serve', 'demo', 'sandbox']),
        `--${prng.string(prng.int(1, 12), WORD)}-x`,
      ];
    case 2:
      return [
        'run',
        journey,
        '--repeat',
        prng.pick(['0', '-1', 'abc', '1e3', '10001', '1.5', '', ' 3', '0x10', '99999999999999999999']),
      ];
    case 3:
      return prng.next() < 0.5
        ? ['run', journey, '--retries', prng.pick(['6', '-1', 'x', '1s', '', 'NaN', 'Infinity'])]
        : ['run', journey, '--slow-mo', prng.pick(['-5', '60001', '1s', '', 'NaN', '1e3'])];
    case 4:
      return [
        'run',
        journey,
        '--trace',
        prng.pick(['sometimes', 'ON', '', 'retain', 'off ', prng.string(5, JUNK)]),
      ];
    case 5:
      return [
        'run',
        journey,
        prng.pick(['--base-url', '--push']),
        prng.pick([
          'ftp://x',
          'not a url',
          'http//x',
          '',
          'file:///etc/passwd',
          'javascript:alert(1)',
          'http://',
          prng.string(8, JUNK),
        ]),
      ];
    case 6:
      return [
        'run',
        journey,
        prng.pick(['--target', '--repeat', '--config', '--artifacts', '--junit', '--trace', '--push']),
      ];
    case 7:
      return ['run', `${prng.string(prng.int(1, 8), WORD)}-nope`, ...(prng.next() < 0.5 ? ['--json'] : [])];
    case 8:
      return ['run', journey, '--target', `${prng.string(prng.int(1, 8), WORD)}-nowhere`];
    case 9:
      return ['run', journey, '--target', prng.pick(['staging', 'production'])]; // their secrets are not set
    case 10:
      return ['run', ...(prng.next() < 0.5 ? ['--json'] : ['--repeat', '2'])]; // neither a journey nor --all
    case 11:
      return [
        'sandbox',
        prng.pick(['--port', '--payment-port']),
        prng.pick(['70000', '-1', 'x', '65536', '']),
      ];
    case 12:
      return [
        prng.pick(['list', 'run', 'serve', 'demo']),
        '--config',
        `/nonexistent/${prng.string(6, WORD)}.yaml`,
      ];
    default:
      return [prng.pick(['list', 'serve', 'demo']), prng.string(prng.int(1, 12), JUNK)]; // excess arguments
  }
}

function argvCases(seed: number, count: number): string[][] {
  const prng = new Prng(seed);
  const out: string[][] = [];
  while (out.length < count) {
    const argv = defect(prng);
    // Sometimes a harmless flag on top (not --all: it would mend case 10), or a second defect.
    if (prng.next() < 0.3 && argv[0] === 'run') argv.push(prng.pick(['--json', '--headed']));
    if (prng.next() < 0.15) argv.push(...defect(prng).slice(1));
    out.push(argv);
  }
  return out;
}

const CASES = argvCases(FUZZ_SEED, 220);
const saved = { ...process.env };

beforeAll(() => {
  process.env.PROBER_BROWSER_PATH = '/nonexistent/fuzz/chromium';
  for (const name of Object.keys(process.env))
    if (/^PROBER_(STAGING|PRODUCTION)_/.test(name)) delete process.env[name];
  delete process.env.PROBER_CONFIG;
});

afterAll(() => {
  process.env = saved;
});

describe('fuzz: command lines', () => {
  it(
    `${CASES.length} generated argument lists: one line on stderr, exit 2, no browser`,
    { timeout: 120_000 },
    async () => {
      const failures: string[] = [];
      for (const argv of CASES) {
        const { code, stderr } = await runCli(argv);
        const lines = stderr.split('\n').filter((l) => l !== '');
        const ok = code === 2 && lines.length === 1 && !/internal error|\n\s+at /.test(stderr);
        if (!ok)
          failures.push(
            `${JSON.stringify(argv)}: exit ${code}, stderr ${JSON.stringify(stderr.slice(0, 300))}`,
          );
      }
      expect(failures).toEqual([]);
    },
  );

  it('names what is wrong: samples of each kind', async () => {
    const samples: [string[], RegExp][] = [
      [['runn'], /unknown command 'runn'/],
      [['run', 'purchase', '--repeat', '0'], /--repeat.*must be a whole number from 1 to 10000/],
      [['run', 'purchase', '--trace', 'sometimes'], /--trace.*sometimes.*on, off, retain-on-failure/],
      [['run', 'purchase', '--base-url', 'ftp://x'], /--base-url.*must be an http\(s\) URL/],
      [['run', 'purchase', '--target'], /option '--target <name>' argument missing/],
      [['run', 'nope-nope'], /unknown journey "nope-nope" \(known: .*purchase/],
      [['run', 'purchase', '--target', 'mars'], /unknown target "mars"/],
      [['run', 'purchase', '--target', 'staging'], /PROBER_STAGING_(EMAIL|PASSWORD)/],
      [['list', '--config', '/nonexistent/c.yaml'], /\/nonexistent\/c\.yaml: config file not found/],
    ];
    for (const [argv, expected] of samples) {
      const { code, stderr } = await runCli(argv);
      expect({ argv, code }).toEqual({ argv, code: 2 });
      expect(stderr).toMatch(expected);
    }
  });
});
