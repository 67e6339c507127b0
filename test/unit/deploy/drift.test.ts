import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION } from '../../../src/rules/params.js';
import { OUTPUTS, renderAll } from '../../../src/rules/render.js';
import { ROOT, run, tempDir } from './tools.js';

// What `npm run rules` runs: the compiled generator when built, else its source through tsx.
const GENERATOR = ['bin/rules.js'];

describe('generated files cannot drift from src/rules/params.ts', { timeout: 90_000 }, () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir('rules-drift');
  });
  afterAll(async () => tmp.remove());

  it('regenerating into a temp dir gives exactly the committed files (run `npm run rules`)', async () => {
    const result = await run(process.execPath, [...GENERATOR, '--out', tmp.dir], ROOT, 60_000);
    expect(result.code, result.output).toBe(0);
    const expected = [...renderAll(PRODUCTION).keys()].sort();
    for (const path of expected) {
      const committed = await readFile(join(ROOT, path), 'utf8');
      const generated = await readFile(join(tmp.dir, path), 'utf8');
      expect(committed, `${path} differs from the generator's output: run npm run rules`).toBe(generated);
    }
    for (const dir of [OUTPUTS.rules, OUTPUTS.testRules]) {
      const committed = (await readdir(join(ROOT, dir))).map((name) => `${dir}/${name}`);
      expect(committed.sort(), `stale files in ${dir}`).toEqual(
        expected.filter((p) => p.startsWith(`${dir}/`)),
      );
    }
  });

  it('a bad argument is a one-line usage error with exit code 2', async () => {
    const result = await run(process.execPath, [...GENERATOR, '--bogus'], ROOT, 60_000);
    expect(result.code).toBe(2);
    expect(result.output.trim()).toMatch(
      /^rules: unexpected arguments "--bogus"; usage: rules \[--params FILE\] \[--out DIR\]$/,
    );
  });
});
