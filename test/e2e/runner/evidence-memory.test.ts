import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONSOLE_BYTES } from '../../../src/runner/evidence.js';
import { startHostileSite, type HostileSite } from './hostile-site.js';

/** The bound for the whole serve-like process (the shipped pod limit is 1536 Mi). */
const MAX_PEAK_MIB = 600;

interface Probe {
  readonly beforeKiB: number;
  readonly peakKiB: number;
  readonly outcome: string;
  readonly failure?: { readonly step: string; readonly class: string };
  readonly artifacts?: { readonly dir: string; readonly console?: string; readonly trace?: string };
  readonly annotations: Record<string, unknown>;
}

let site: HostileSite;
let root: string;

beforeAll(async () => {
  site = await startHostileSite();
  root = await mkdtemp(join(tmpdir(), 'runner-memory-'));
});

afterAll(async () => {
  await site?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Runs memory-probe.ts in its own process (its own peak RSS), bounded by `timeoutMs`. */
function probe(path: string, ready: string, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'memory-probe.ts'), site.origin, path, ready, root],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as Probe);
      } catch {
        reject(new Error(`memory probe exited ${code}: ${err.slice(-2000)}`));
      }
    });
  });
}

const mib = (kib: number): number => Math.round(kib / 1024);

describe('evidence stays bounded in memory', () => {
  it('a console flood of 300k lines: capped console.log with a "…N more" marker, peak RSS under 600 MB', async () => {
    const result = await probe('/flood?lines=300000', 'Flooded', 280_000);
    console.info(`console flood: RSS ${mib(result.beforeKiB)} MB before, peak ${mib(result.peakKiB)} MB`);
    expect(result.failure).toMatchObject({ step: 'check', class: 'assertion' });
    const text = await readFile(result.artifacts!.console!, 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_CONSOLE_BYTES + 200);
    expect(text).toMatch(/…\d+ more lines not kept/);
    expect(mib(result.peakKiB)).toBeLessThan(MAX_PEAK_MIB);
  }, 300_000);

  it('a page of large JSON responses (40 × 8 MB): trace kept or dropped, peak RSS under 600 MB', async () => {
    const result = await probe('/large?count=40&mb=8', 'Fetched', 280_000);
    console.info(`large responses: RSS ${mib(result.beforeKiB)} MB before, peak ${mib(result.peakKiB)} MB`);
    expect(result.failure).toMatchObject({ step: 'check', class: 'assertion' });
    if (result.artifacts?.trace) expect((await stat(result.artifacts.trace)).size).toBeGreaterThan(0);
    else expect(String(result.annotations.traceRemoved)).toMatch(/not kept/);
    expect(mib(result.peakKiB)).toBeLessThan(MAX_PEAK_MIB);
  }, 300_000);
});
