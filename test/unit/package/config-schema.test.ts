import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema, SCHEMA_FILE } from '../../../scripts/config-schema.js';

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  default?: unknown;
};

const shipped = (): JsonSchema => JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as JsonSchema;

describe('the shipped JSON Schema of the config file', () => {
  it('is what the zod schema generates now (run `npm run schema` after changing the config schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(configJsonSchema());
  });

  it('describes every key and refuses unknown ones, as the prober does', () => {
    const schema = shipped();
    expect(schema.additionalProperties).toBe(false);
    for (const key of ['journeysDir', 'builtInJourneys', 'targets', 'schedules', 'trace', 'artifacts']) {
      expect(schema.properties, key).toHaveProperty(key);
    }
    expect(schema.properties?.trace?.enum).toEqual(['on', 'off', 'retain-on-failure', 'on-first-retry']);
    expect(schema.properties?.trace?.default).toBe('on-first-retry');
  });

  it("covers every key of the documented example configuration's top level", () => {
    const example = parse(
      readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8')
        .split('```yaml')[1]!
        .split('```')[0]!,
    ) as Record<string, unknown>;
    for (const key of Object.keys(example)) expect(shipped().properties, key).toHaveProperty(key);
  });
});
