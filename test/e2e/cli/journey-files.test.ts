import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/journey-prober.js');
const IMPORT_TIMEOUT_MS = 1_000;

const good = (name: string) => `import { defineJourney } from 'journey-prober';
export default defineJourney({ name: '${name}', description: 'a journey', async run() {} });
`;

async function cli(args: string[], cwd: string) {
  const t0 = performance.now();
  try {
    const { stdout, stderr } = await exec('node', [BIN, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PROBER_JOURNEY_IMPORT_TIMEOUT_MS: String(IMPORT_TIMEOUT_MS),
      },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr, ms: performance.now() - t0 };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, ms: performance.now() - t0 };
  }
}

/** Hostile journey files (issue 15, item 9): each is refused in one line with exit 2, never a hang. */
describe('hostile journey files: one line naming the file, exit 2, no hang', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'prober-hostile-journeys-'));
    mkdirSync(join(dir, 'journeys'));
    writeFileSync(join(dir, 'journey-prober.config.yaml'), 'journeysDir: journeys\n');
    writeFileSync(join(dir, 'journeys', 'ok.journey.ts'), good('ok'));
    writeFileSync(
      join(dir, 'journeys', 'never.journey.ts'),
      `await new Promise(() => {});\n${good('never')}`,
    );
    writeFileSync(
      join(dir, 'journeys', 'slow.journey.ts'),
      `await new Promise((r) => setTimeout(r, 60_000));\n${good('slow')}`,
    );
    execFileSync('mkfifo', [join(dir, 'journeys', 'fifo.journey.ts')]);
    symlinkSync('/dev/zero', join(dir, 'journeys', 'zero.journey.ts'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [
      'a top-level await that never settles (not a silent exit 13)',
      'never',
      /did not finish loading within 1 s/,
    ],
    ['a file that takes 60 s to import', 'slow', /did not finish loading within 1 s/],
    ['a FIFO', 'fifo', /not a regular file \(a FIFO\): refused/],
    ['a symlink to /dev/zero', 'zero', /not a regular file \(a device\): refused/],
  ])('%s', async (_name, journey, message) => {
    const ran = await cli(['run', journey], dir);
    expect(ran.code, ran.stderr).toBe(2);
    const lines = ran.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^journey-prober: journeys/${journey}\\.journey\\.ts: `));
    expect(lines[0]).toMatch(message);
  });

  it('list names every refused file and still lists the good one (exit 2)', async () => {
    const ran = await cli(['list'], dir);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toMatch(/^ {2}ok {15}a journey$/m);
    const errors = ran.stderr.trim().split('\n');
    expect(errors.map((e) => /journeys\/(\w+)\.journey\.ts/.exec(e)?.[1]).sort()).toEqual([
      'fifo',
      'never',
      'slow',
      'zero',
    ]);
    // Two imports time out, one after the other; nothing waits for the 60 s one.
    expect(ran.ms).toBeLessThan(30_000);
  });
});

describe('--version', () => {
  it('prints the package version, Playwright and the browser, exit 0', async () => {
    const ran = await cli(['--version'], tmpdir());
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^journey-prober \d+\.\d+\.\d+\nplaywright \d+\.\d+\.\d+\nbrowser .+\n$/);
  });
});
