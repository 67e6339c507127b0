/**
 * `npm run rules` — writes the Prometheus rules, the test-only fast variant, the Grafana
 * dashboard and the defaults' parameters file, from the shipped defaults
 * (src/rules/params.ts) or an operator's parameters file over them (params-file.ts).
 * Usage: generate [--params FILE] [--out DIR] (default DIR: the package root)
 * Plain JavaScript once compiled (dist/rules/generate.js): it needs no dev dependency.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadParamsFile } from './params-file.js';
import { PRODUCTION, type SloParams } from './params.js';
import { OUTPUTS, renderAll } from './render.js';
import { ParamsError } from './validate.js';

/** A command-line argument the generator does not understand. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE = 'usage: rules [--params FILE] [--out DIR]';

interface Options {
  readonly out: string;
  readonly params: string | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const options: { out?: string; params?: string } = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    const key = flag === '--out' ? 'out' : flag === '--params' ? 'params' : undefined;
    if (
      key === undefined ||
      value === undefined ||
      value === '' ||
      value.startsWith('--') ||
      key in options
    ) {
      throw new UsageError(`unexpected arguments "${argv.join(' ')}"; ${USAGE}`);
    }
    options[key] = value;
  }
  const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  return { out: resolve(options.out ?? packageRoot), params: options.params };
}

/** Writes every generated file under `root`, removing stale ones from the rule directories. */
async function generate(root: string, params: SloParams): Promise<string[]> {
  const files = renderAll(params);
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
  const options = parseArgs(process.argv.slice(2));
  const params = options.params === undefined ? PRODUCTION : await loadParamsFile(options.params);
  const written = await generate(options.out, params);
  console.log(`wrote ${written.length} files under ${options.out}:\n  ${written.join('\n  ')}`);
} catch (error) {
  if (!(error instanceof ParamsError || error instanceof UsageError)) throw error;
  console.error(`rules: ${error.message}`);
  process.exitCode = 2;
}
