import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJourney, MAX_NAME_LENGTH } from '../../../src/journey/define.js';
import {
  BUILT_IN_JOURNEYS_DIR,
  describeSearched,
  loadJourneys,
  MAX_JOURNEY_FILE_BYTES,
} from '../../../src/journey/loader.js';

const good = (name: string) => `import { defineJourney } from 'journey-prober';
export default defineJourney({ name: '${name}', description: 'a journey', async run() {} });
`;

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'prober-journey-files-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

// The timeout bounds every import of this file's loads, good journeys' too: it must be
// longer than a tsx import takes on a busy machine (3.6 s seen at load 15), or a good file
// is reported as hanging. A FIFO or a never-settling await would hang for ever without it.
const IMPORT_TIMEOUT_MS = 8_000;
let saved: string | undefined;
beforeAll(() => {
  saved = process.env.PROBER_JOURNEY_IMPORT_TIMEOUT_MS;
  process.env.PROBER_JOURNEY_IMPORT_TIMEOUT_MS = String(IMPORT_TIMEOUT_MS);
});
afterAll(() => {
  if (saved === undefined) delete process.env.PROBER_JOURNEY_IMPORT_TIMEOUT_MS;
  else process.env.PROBER_JOURNEY_IMPORT_TIMEOUT_MS = saved;
});

describe('journey files: only regular files, bounded in size and import time', () => {
  it('refuses a FIFO named *.journey.ts without opening it, and loads the others', async () => {
    const dir = dirWith({ 'ok.journey.ts': good('ok') });
    execFileSync('mkfifo', [join(dir, 'pipe.journey.ts')]);
    const { journeys, problems } = await loadJourneys(dir);
    expect([...journeys.keys()]).toEqual(['ok']);
    expect(problems).toEqual([
      { file: join(dir, 'pipe.journey.ts'), message: 'not a regular file (a FIFO): refused' },
    ]);
  });

  it('refuses a FIFO from a stat alone: no import, so well within the import timeout', async () => {
    const dir = dirWith({});
    execFileSync('mkfifo', [join(dir, 'pipe.journey.ts')]);
    const t0 = performance.now();
    const { problems } = await loadJourneys(dir);
    expect(performance.now() - t0).toBeLessThan(IMPORT_TIMEOUT_MS);
    expect(problems.map((p) => p.message)).toEqual(['not a regular file (a FIFO): refused']);
  });

  it('refuses a symlink to /dev/zero, but follows a symlink to a regular journey file', async () => {
    const dir = dirWith({});
    const elsewhere = dirWith({ 'real.ts': good('linked') });
    symlinkSync('/dev/zero', join(dir, 'zero.journey.ts'));
    symlinkSync(join(elsewhere, 'real.ts'), join(dir, 'linked.journey.ts'));
    const { journeys, problems } = await loadJourneys(dir);
    expect([...journeys.keys()]).toEqual(['linked']);
    expect(problems.map((p) => p.message)).toEqual(['not a regular file (a device): refused']);
  });

  it('refuses a file larger than a journey file may be, unread', async () => {
    const dir = dirWith({ 'big.journey.ts': `// ${'x'.repeat(MAX_JOURNEY_FILE_BYTES)}\n` });
    const { problems } = await loadJourneys(dir);
    expect(problems[0]?.message).toMatch(
      /^\d+ bytes, more than the 1048576 a journey file may have: refused$/,
    );
  });

  it('a top-level await that never settles is reported at the import timeout, naming no line', async () => {
    const dir = dirWith({
      'hang.journey.ts': `await new Promise(() => {});\n${good('hang')}`,
      'ok.journey.ts': good('ok'),
    });
    const t0 = performance.now();
    const { journeys, problems } = await loadJourneys(dir);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(IMPORT_TIMEOUT_MS - 5);
    expect(took).toBeLessThan(IMPORT_TIMEOUT_MS + 10_000);
    expect([...journeys.keys()]).toEqual(['ok']);
    expect(problems).toEqual([
      {
        file: join(dir, 'hang.journey.ts'),
        message: `did not finish loading within ${IMPORT_TIMEOUT_MS / 1000} s (a top-level await that never settles, or a slow import)`,
      },
    ]);
  });

  it('a file that takes longer than the timeout to import does not hold the load up', async () => {
    const dir = dirWith({
      'slow.journey.ts': `await new Promise((r) => setTimeout(r, 60_000));\n${good('slow')}`,
    });
    const t0 = performance.now();
    const { problems } = await loadJourneys(dir);
    expect(performance.now() - t0).toBeLessThan(IMPORT_TIMEOUT_MS + 10_000);
    expect(problems[0]?.message).toMatch(/^did not finish loading within/);
  });
});

describe('journey names: kebab-case, at most 64 characters, checked at definition', () => {
  const define = (name: string) => () => defineJourney({ name, description: 'd', run: async () => {} });
  it('accepts 64 characters and refuses 65, saying how long it is', () => {
    expect(MAX_NAME_LENGTH).toBe(64);
    expect(define('a'.repeat(64))).not.toThrow();
    expect(define('a'.repeat(65))).toThrow(
      /^journey name "a{40}…" is 65 characters, at most 64 are allowed$/,
    );
  });

  it('shows at most 80 characters of a long name that is not kebab-case', () => {
    expect(define('A'.repeat(300))).toThrow(/^journey name "A{80}…" must be kebab-case/);
  });
});

describe('where journeys come from', () => {
  it("a project's directory adds to the built-ins; its journey replaces a built-in of the same name", async () => {
    const project = dirWith({ 'purchase.journey.ts': good('purchase'), 'mine.journey.ts': good('mine') });
    const loaded = await loadJourneys([
      { dir: project, required: false },
      { dir: BUILT_IN_JOURNEYS_DIR, required: true, builtIn: true },
    ]);
    expect(loaded.problems).toEqual([]);
    expect([...loaded.journeys.keys()]).toEqual(['mine', 'purchase', 'renewal', 'seat-change']);
    expect(loaded.journeys.get('purchase')?.file).toBe(join(project, 'purchase.journey.ts'));
    expect(loaded.journeys.get('renewal')?.file).toBe(join(BUILT_IN_JOURNEYS_DIR, 'renewal.journey.ts'));
    expect(describeSearched(loaded)).toBe(`searched ${project}, ${BUILT_IN_JOURNEYS_DIR}`);
  });

  it('a missing optional directory is skipped and said so; a missing required one is a problem', async () => {
    const absent = join(tmpdir(), `prober-absent-${process.pid}`);
    const optional = await loadJourneys([{ dir: absent, required: false }]);
    expect(optional.problems).toEqual([]);
    expect(optional.searched).toEqual([`${absent} (not there)`]);
    const required = await loadJourneys([{ dir: absent, required: true }]);
    expect(required.problems.map((p) => p.message)).toEqual(['cannot read the journeys directory (ENOENT)']);
  });

  it('the same directory given twice (a checkout is its own package) is loaded once', async () => {
    const dir = dirWith({ 'a.journey.ts': good('alpha') });
    mkdirSync(join(dir, 'sub'));
    symlinkSync(dir, join(dir, 'sub', 'again'));
    const loaded = await loadJourneys([
      { dir, required: true },
      { dir: join(dir, 'sub', 'again'), required: true, builtIn: true },
    ]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.searched).toEqual([dir]);
  });
});
