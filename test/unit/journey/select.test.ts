import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/config/errors.js';
import { parseConfig, type LoadedConfig } from '../../../src/config/load.js';
import { loadAndSelect } from '../../../src/commands/prepare.js';
import type { JourneySource } from '../../../src/journey/loader.js';

/**
 * `run NAME` imports only NAME.journey.ts when the naming convention can tell it holds the
 * journey, and loads every file otherwise: each case below fails if the fast path picked a
 * different journey, error or warning than loading everything would.
 */
const root = mkdtempSync(join(tmpdir(), 'prober-select-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every file written here records its import in this global list, so a test sees what was imported. */
const IMPORTED = '__proberSelectImported';
function imported(): readonly string[] {
  return ((globalThis as Record<string, unknown>)[IMPORTED] as string[] | undefined) ?? [];
}

let dirs = 0;
function dirWith(files: Record<string, string>): string {
  const dir = join(root, `d${dirs++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const journey = (name: string, marker: string) => `import { defineJourney } from 'journey-prober';

((globalThis as Record<string, unknown>).${IMPORTED} as string[] | undefined)?.push('${marker}') ??
  ((globalThis as Record<string, unknown>).${IMPORTED} = ['${marker}']);

export default defineJourney({
  name: '${name}',
  description: 'a journey',
  async run({ step }) {
    await step('one', async () => {});
  },
});
`;

const BROKEN = "import { defineJourney } from 'journey-prober';\n\nconst x = ;\n";

function configOf(...sources: JourneySource[]): LoadedConfig {
  return { ...parseConfig({}, 'test', root), journeySources: sources };
}

async function select(config: LoadedConfig, names: readonly string[], all = false) {
  const warnings: string[] = [];
  const { selected } = await loadAndSelect(config, names, all, (line) => warnings.push(line));
  return { selected: selected.map((j) => ({ name: j.name, file: j.file })), warnings };
}

describe('loadAndSelect: run NAME', () => {
  it('imports only NAME.journey.ts: a broken or unrelated file beside it is not imported nor warned about', async () => {
    const dir = dirWith({
      'a-other.journey.ts': journey('a-other', 'sel1-other'),
      'broken.journey.ts': BROKEN,
      'good.journey.ts': journey('good', 'sel1-good'),
    });
    const { selected, warnings } = await select(configOf({ dir, required: true }), ['good']);
    expect(selected).toEqual([{ name: 'good', file: join(dir, 'good.journey.ts') }]);
    expect(warnings).toEqual([]);
    expect(imported().filter((m) => m.startsWith('sel1-'))).toEqual(['sel1-good']);
  });

  it('--all still loads every file and warns about the broken one', async () => {
    const dir = dirWith({ 'broken.journey.ts': BROKEN, 'good.journey.ts': journey('good', 'sel2-good') });
    const { selected, warnings } = await select(configOf({ dir, required: true }), [], true);
    expect(selected.map((j) => j.name)).toEqual(['good']);
    expect(warnings).toEqual([expect.stringMatching(/^warning: .*broken\.journey\.ts:3: syntax error/)]);
  });

  it('a broken named file is the one-line error naming its file and line', async () => {
    const dir = dirWith({ 'good.journey.ts': BROKEN, 'other.journey.ts': journey('other', 'sel3-other') });
    const error = await select(configOf({ dir, required: true }), ['good']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/good\.journey\.ts:3: syntax error/);
    expect(imported()).not.toContain('sel3-other');
  });

  it('a journey whose file is named otherwise is found by loading every file', async () => {
    const dir = dirWith({ 'misc.journey.ts': journey('odd-name', 'sel4-misc') });
    const { selected } = await select(configOf({ dir, required: true }), ['odd-name']);
    expect(selected).toEqual([{ name: 'odd-name', file: join(dir, 'misc.journey.ts') }]);
  });

  it('NAME.journey.ts defining another name: loads every file, and an unknown name keeps its message', async () => {
    const dir = dirWith({ 'good.journey.ts': journey('not-good', 'sel5') });
    const error = await select(configOf({ dir, required: true }), ['good']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(`unknown journey "good" (known: not-good; searched ${dir})`);
  });

  it('an unknown name names the directories searched, as before', async () => {
    const dir = dirWith({ 'good.journey.ts': journey('good', 'sel6') });
    const missing = join(root, 'not-there');
    const error = await select(configOf({ dir: missing, required: false }, { dir, required: true }), [
      'nope',
    ]).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `unknown journey "nope" (known: good; searched ${missing} (not there), ${dir})`,
    );
  });

  it("a project file that may define a built-in's name wins over the built-in's NAME.journey.ts", async () => {
    const project = dirWith({ 'my-purchase.journey.ts': journey('purchase', 'sel7-project') });
    const builtIn = dirWith({ 'purchase.journey.ts': journey('purchase', 'sel7-builtin') });
    const { selected } = await select(
      configOf({ dir: project, required: true }, { dir: builtIn, required: true, builtIn: true }),
      ['purchase'],
    );
    expect(selected).toEqual([{ name: 'purchase', file: join(project, 'my-purchase.journey.ts') }]);
    expect(imported()).not.toContain('sel7-builtin');
  });

  it('the built-in NAME.journey.ts when the project has no file that mentions the name', async () => {
    const project = dirWith({ 'mine.journey.ts': journey('mine', 'sel8-mine') });
    const builtIn = dirWith({ 'purchase.journey.ts': journey('purchase', 'sel8-builtin') });
    const { selected } = await select(
      configOf({ dir: project, required: true }, { dir: builtIn, required: true, builtIn: true }),
      ['purchase'],
    );
    expect(selected).toEqual([{ name: 'purchase', file: join(builtIn, 'purchase.journey.ts') }]);
    expect(imported()).not.toContain('sel8-mine');
  });

  it('an earlier file defining the same name wins, as when loading every file', async () => {
    const dir = dirWith({ 'a.journey.ts': journey('b', 'sel9-a'), 'b.journey.ts': journey('b', 'sel9-b') });
    const { selected, warnings } = await select(configOf({ dir, required: true }), ['b']);
    expect(selected).toEqual([{ name: 'b', file: join(dir, 'a.journey.ts') }]);
    expect(warnings).toEqual([expect.stringMatching(/b\.journey\.ts.*already defined/)]);
  });

  it('no name and no --all, or both: usage errors before anything is imported', async () => {
    const dir = dirWith({ 'good.journey.ts': journey('good', 'sel10') });
    await expect(select(configOf({ dir, required: true }), [])).rejects.toThrow(
      'name at least one journey, or pass --all',
    );
    await expect(select(configOf({ dir, required: true }), ['good'], true)).rejects.toThrow(
      'name journeys or pass --all, not both (got good)',
    );
    expect(imported()).not.toContain('sel10');
  });
});
