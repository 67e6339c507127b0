import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { runCli } from './cli-capture.js';
import { configCases, validConfig } from './config-cases.js';
import { FUZZ_SEED } from './prng.js';

/**
 * 240 malformed configuration files, generated from a valid one with a fixed seed: wrong
 * types, unknown keys, bad cron, bad URLs, huge numbers, deep nesting, broken documents.
 * Each one, given to the CLI, is a single line on stderr naming the problem and exit 2.
 */
const CASES = configCases(FUZZ_SEED, 240);
const dir = mkdtempSync(join(tmpdir(), 'prober-config-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fuzz: malformed configuration files', () => {
  it('the base configuration is valid (each case breaks one thing)', () => {
    const file = join(dir, 'valid.json');
    writeFileSync(file, JSON.stringify(validConfig()));
    expect(loadConfig(file).concurrency).toBe(2);
  });

  it(
    `${CASES.length} generated cases: one line, exit 2, naming the problem`,
    { timeout: 120_000 },
    async () => {
      const failures: string[] = [];
      for (const [i, c] of CASES.entries()) {
        const file = join(dir, `case-${i}${c.ext}`);
        writeFileSync(file, c.text);
        const { code, stderr, stdout } = await runCli(['list', '--config', file]);
        const lines = stderr.split('\n').filter((l) => l !== '');
        const ok =
          code === 2 &&
          stdout === '' &&
          lines.length === 1 &&
          lines[0]!.startsWith(`journey-prober: ${file}: `) &&
          c.mentions.some((m) => lines[0]!.includes(m)) &&
          !/internal error|at .*\.ts:\d+/.test(stderr);
        if (!ok)
          failures.push(`#${i} ${c.name}: exit ${code}, stderr ${JSON.stringify(stderr.slice(0, 300))}`);
      }
      expect(failures).toEqual([]);
    },
  );

  it('kinds of cases generated: every kind is there', () => {
    const kinds = new Set(
      CASES.map((c) =>
        c.name.startsWith('unknown key')
          ? 'unknown'
          : c.name.startsWith('not a config')
            ? 'document'
            : c.name.includes('nested')
              ? 'nested'
              : 'value',
      ),
    );
    expect([...kinds].sort()).toEqual(['document', 'nested', 'unknown', 'value']);
  });
});
