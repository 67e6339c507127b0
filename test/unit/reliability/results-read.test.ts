import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/config/errors.js';
import { openResults } from '../../../src/results/results.js';

const dir = mkdtempSync(join(tmpdir(), 'prober-results-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (path: string) => openResults({ path, maxBytes: 1024 * 1024, retainRuns: 10 });

describe('results log that cannot be read', () => {
  it('a directory: a one-line usage error naming the file and the code (exit 2), not an internal error', async () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    const failure = open(path);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(
      `cannot read the results log ${path}: EISDIR (results.path must name a readable file)`,
    );
  });

  it('a rotated file that is a directory is named too', async () => {
    const path = join(dir, 'runs.jsonl');
    writeFileSync(path, '');
    mkdirSync(`${path}.1`);
    await expect(open(path)).rejects.toThrow(`cannot read the results log ${path}.1: EISDIR`);
  });

  it('a missing file is an empty history', async () => {
    const results = await open(join(dir, 'nothing-here', 'runs.jsonl'));
    expect({ dropped: results.dropped, restored: results.restored }).toEqual({ dropped: 0, restored: 0 });
    await results.close();
  });

  it('only NUL bytes and no newline: one dropped line, no hang', async () => {
    const path = join(dir, 'zeros.jsonl');
    writeFileSync(path, Buffer.alloc(64 * 1024));
    chmodSync(path, 0o600);
    const results = await open(path);
    expect({ dropped: results.dropped, restored: results.restored }).toEqual({ dropped: 1, restored: 0 });
    await results.close();
  });
});
