import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import {
  builtInSecretVars,
  configRows,
  ENV_VARS,
  EXAMPLE_CONFIG,
  renderConfigReference,
} from '../../../scripts/config-reference.js';

const ROOT = join(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|js|mjs)$/.test(e.name) ? [path] : [];
  });
}

/** Names the code reads as `env.NAME`, `env?.NAME` or `env['NAME']` (process.env included). */
function envVarsRead(): Map<string, string> {
  const found = new Map<string, string>();
  const pattern = /\benv\??\.([A-Z][A-Z0-9_]*)\b|\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g;
  for (const file of [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'bin'))]) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      found.set(match[1] ?? match[2]!, file.slice(ROOT.length + 1));
    }
  }
  return found;
}

describe('docs/configuration.md', () => {
  it('is what scripts/config-reference.ts generates (run `npm run docs:config`)', async () => {
    const committed = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
    expect(committed).toBe(await renderConfigReference());
  });

  it('describes every config key', () => {
    const rows = configRows();
    expect(rows.map((r) => r.key)).toEqual(
      expect.arrayContaining([
        'journeysDir',
        'schedules[].cron',
        'targets.<name>.accounts.<state>.passwordEnv',
        'shutdownGraceMs',
      ]),
    );
    for (const row of rows)
      expect(row.description, `${row.key} has no .describe() in src/config/schema.ts`).not.toBe('');
  });

  it('lists every environment variable the source reads', () => {
    const documented = new Set([...ENV_VARS.map((v) => v.name), ...builtInSecretVars().map((v) => v.name)]);
    const read = envVarsRead();
    expect(read.size, 'the scan finds the variables the code reads').toBeGreaterThanOrEqual(5);
    for (const [name, file] of read)
      expect(documented.has(name), `${name} (read in ${file}) is not in ENV_VARS`).toBe(true);
    for (const name of ['PROBER_CONFIG', 'PROBER_LISTEN', 'PROBER_BROWSER_PATH', 'PROBER_NO_SANDBOX']) {
      expect(read.has(name), `${name} is documented but no longer read`).toBe(true);
    }
  });

  it('shows an example that the real schema accepts', () => {
    const config = parseConfig(parseYaml(EXAMPLE_CONFIG), 'example', ROOT);
    expect(config.schedules).toHaveLength(2);
    expect(config.retries).toBe(1);
  });
});
