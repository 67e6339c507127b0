import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ArtifactRetention,
  evictionOrder,
  scanRunDirs,
  selectForRemoval,
  timeFromName,
  type RunDir,
} from '../../../src/artifacts/retention.js';
import type { Outcome } from '../../../src/journey/outcomes.js';

const log = pino({ level: 'silent' });
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'artifacts-retention-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A run directory the way the runner writes it, started `minute` minutes past 10:00. */
async function runDir(minute: number, outcome: Outcome | undefined, bytes = 100, journey = 'purchase'): Promise<string> {
  const stamp = `2026-11-24T10-${String(minute).padStart(2, '0')}-00.000Z`;
  const dir = join(root, journey, 'sandbox', `${stamp}-run${minute}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'screenshot.png'), Buffer.alloc(bytes));
  if (outcome) await writeFile(join(dir, 'result.json'), JSON.stringify({ outcome }));
  return dir;
}

const names = async (): Promise<string[]> => {
  const out: string[] = [];
  for (const journey of await readdir(root)) {
    for (const target of await readdir(join(root, journey))) {
      for (const run of await readdir(join(root, journey, target))) out.push(run.replace(/^.*-(run\d+)$/, '$1'));
    }
  }
  return out.sort();
};

describe('eviction order', () => {
  const dir = (path: string, time: number, outcome?: Outcome): RunDir => ({ path, time, bytes: 1, ...(outcome ? { outcome } : {}) });
  it('gives up passing runs first (oldest first), then failures and unknown runs (oldest first)', () => {
    const order = evictionOrder([
      dir('f-new', 50, 'failure'),
      dir('s-new', 40, 'success'),
      dir('f-old', 10, 'failure'),
      dir('unknown', 20),
      dir('d-old', 5, 'degraded'),
      dir('e', 30, 'error'),
      dir('flaky', 35, 'flaky'),
    ]).map((d) => d.path);
    expect(order).toEqual(['d-old', 's-new', 'f-old', 'unknown', 'e', 'flaky', 'f-new']);
  });

  it('removes nothing within the limits', () => {
    expect(selectForRemoval([dir('a', 1, 'failure')], { maxRuns: 1, maxBytes: 1 })).toEqual([]);
  });
});

describe('timeFromName', () => {
  it('reads the UTC stamp the runner puts in the directory name', () => {
    expect(timeFromName('2026-11-24T10-05-00.123Z-abc')).toBe(Date.parse('2026-11-24T10:05:00.123Z'));
    expect(timeFromName('not-a-run')).toBeUndefined();
  });
});

describe('ArtifactRetention.sweep', () => {
  it('keeps at most maxRuns, removing successes before older failures', async () => {
    await runDir(1, 'failure');
    await runDir(2, 'success');
    await runDir(3, 'failure');
    await runDir(4, 'success');
    await runDir(5, 'failure');
    const report = await new ArtifactRetention({ root, maxRuns: 3, maxBytes: 1e9, log }).sweep();
    expect(report.runsBefore).toBe(5);
    expect(report.runsAfter).toBe(3);
    expect(await names()).toEqual(['run1', 'run3', 'run5']);
  });

  it('then removes the oldest failures', async () => {
    await runDir(1, 'failure');
    await runDir(2, 'success');
    await runDir(3, 'error');
    await runDir(4, 'failure');
    await new ArtifactRetention({ root, maxRuns: 2, maxBytes: 1e9, log }).sweep();
    expect(await names()).toEqual(['run3', 'run4']);
  });

  it('keeps the tree under maxBytes', async () => {
    await runDir(1, 'failure', 1000);
    await runDir(2, 'success', 1000);
    await runDir(3, 'failure', 1000, 'renewal');
    await runDir(4, 'failure', 1000);
    const report = await new ArtifactRetention({ root, maxRuns: 100, maxBytes: 2500, log }).sweep();
    expect(report.bytesAfter).toBeLessThanOrEqual(2500);
    expect(await names()).toEqual(['run3', 'run4']);
  });

  it('scans no further than the tree and never follows a symlink out', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'artifacts-outside-'));
    try {
      await mkdir(join(outside, 'sandbox', '2026-11-24T09-00-00.000Z-victim'), { recursive: true });
      await writeFile(join(outside, 'sandbox', '2026-11-24T09-00-00.000Z-victim', 'keep.txt'), 'x');
      await symlink(outside, join(root, 'linked-journey'));
      await runDir(1, 'success');
      await runDir(2, 'success');
      await new ArtifactRetention({ root, maxRuns: 1, maxBytes: 1e9, log }).sweep();
      expect(await readdir(join(outside, 'sandbox'))).toEqual(['2026-11-24T09-00-00.000Z-victim']);
      expect((await scanRunDirs(root)).map((r) => r.path.split('-').at(-1))).toEqual(['run2']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('removes journey and target directories left empty', async () => {
    await runDir(1, 'success', 10, 'renewal');
    await runDir(2, 'failure');
    await new ArtifactRetention({ root, maxRuns: 1, maxBytes: 1e9, log }).sweep();
    expect(await readdir(root)).toEqual(['purchase']);
  });

  it('coalesces concurrent sweeps and never runs two at once', async () => {
    for (let i = 1; i <= 6; i++) await runDir(i, 'success');
    const retention = new ArtifactRetention({ root, maxRuns: 2, maxBytes: 1e9, log });
    const reports = await Promise.all([retention.sweep(), retention.sweep(), retention.sweep()]);
    const removed = reports.flatMap((r) => r.removed);
    expect(new Set(removed).size).toBe(removed.length);
    expect(removed.length).toBe(4);
    expect(await names()).toEqual(['run5', 'run6']);
  });

  it('is fine with a missing root and rejects bad limits', async () => {
    const report = await new ArtifactRetention({ root: join(root, 'missing'), maxRuns: 1, maxBytes: 1, log }).sweep();
    expect(report.runsBefore).toBe(0);
    expect(() => new ArtifactRetention({ root, maxRuns: 0, maxBytes: 1, log })).toThrow('artifacts.maxRuns must be a positive integer');
    expect(() => new ArtifactRetention({ root, maxRuns: 1, maxBytes: 1.5, log })).toThrow('artifacts.maxBytes');
  });
});
