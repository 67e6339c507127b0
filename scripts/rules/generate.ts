/**
 * `npm run rules` — writes the Prometheus rules, the test-only fast variant and the
 * Grafana dashboard from scripts/rules/params.ts.
 * Usage: node --import tsx scripts/rules/generate.ts [--out DIR] (default: the repo root)
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRODUCTION } from './params.js';
import { OUTPUTS, renderAll } from './render.js';
import { ParamsError } from './validate.js';

/** A command-line argument the generator does not understand. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function outDir(argv: readonly string[]): string {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  if (argv.length === 0) return repoRoot;
  if (argv.length === 2 && argv[0] === '--out' && argv[1]) return resolve(argv[1]);
  throw new UsageError(`unexpected arguments "${argv.join(' ')}"; usage: generate.ts [--out DIR]`);
}

/** Writes every generated file under `root`, removing stale ones from the rule directories. */
async function generate(root: string): Promise<string[]> {
  const files = await renderAll(PRODUCTION);
  for (const dir of [OUTPUTS.rules, OUTPUTS.testRules]) {
    await mkdir(join(root, dir), { recursive: true });
    for (const name of await readdir(join(root, dir))) {
      if (name.endsWith('.yml') && !files.has(`${dir}/${name}`)) await rm(join(root, dir, name));
    }
  }
  for (const [path, text] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return [...files.keys()];
}

try {
  const root = outDir(process.argv.slice(2));
  const written = await generate(root);
  console.log(`wrote ${written.length} files under ${root}:\n  ${written.join('\n  ')}`);
} catch (error) {
  if (!(error instanceof ParamsError || error instanceof UsageError)) throw error;
  console.error(`rules: ${error.message}`);
  process.exitCode = 2;
}
