/**
 * Generates the JSON Schema of journey-prober.config.yaml from the zod schema, shipped in the
 * package so editors complete and check the file (`# yaml-language-server: $schema=…`).
 *   npm run schema            write schema/journey-prober.config.schema.json
 *   npm run schema -- --check exit 1 if the committed file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { configSchema } from '../src/config/schema.js';

export const SCHEMA_FILE = fileURLToPath(
  new URL('../schema/journey-prober.config.schema.json', import.meta.url),
);

/** The schema as text: what a user writes (defaults optional), not what the parser returns. */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, {
    io: 'input',
    // Refinements (cron expressions, time zones) are checked by the prober, not the editor.
    unrepresentable: 'any',
  });
  const titled = { title: 'journey-prober configuration (journey-prober.config.yaml)', ...schema };
  return `${JSON.stringify(titled, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = configJsonSchema();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      // missing: stale
    }
    if (committed !== text) {
      process.stderr.write(`${SCHEMA_FILE} is stale: run npm run schema\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_FILE, text);
  }
}
