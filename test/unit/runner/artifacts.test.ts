import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/journey/types.js';
import { pathSegment, runDirectory, writeArtifacts } from '../../../src/runner/artifacts.js';
import { Redactor } from '../../../src/log.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'artifacts-unit-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const log = pino({ level: 'silent' });
const result = (over: Partial<RunResult> = {}): RunResult => ({
  runId: 'r1',
  journey: 'purchase',
  target: 'staging',
  outcome: 'failure',
  startedAt: '2026-11-24T10:00:00.000Z',
  durationMs: 12,
  attempts: 1,
  attemptOutcomes: ['failure'],
  steps: [],
  failure: { step: 'pay', class: 'timeout', message: 'x' },
  safeMode: false,
  cleanupFailures: 0,
  annotations: {},
  ...over,
});

async function zipWith(text: string): Promise<string> {
  const zip = new JSZip();
  zip.file('trace.trace', text);
  const path = join(root, `raw-${Math.random().toString(36).slice(2)}.zip`);
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer' }));
  return path;
}

describe('artifacts layout', () => {
  it('is <root>/<journey>/<target>/<UTC timestamp>-<runId>, every segment safe', () => {
    expect(runDirectory('/a', result())).toBe('/a/purchase/staging/2026-11-24T10-00-00.000Z-r1');
    expect(pathSegment('../../etc')).toBe('.._.._etc');
    expect(pathSegment('..')).toBe('_');
    expect(pathSegment('eu west/1')).toBe('eu_west_1');
  });
});

describe('writeArtifacts', () => {
  it('writes the scrubbed trace, console, requests and result, redacted and without query strings', async () => {
    const secret = 'hunter2-long-secret';
    const tracePath = await zipWith(`{"value":"${secret}"}`);
    const evidence = {
      tracePath,
      consoleLines: [`console.error: token ${secret} at https://x.test/a?session=abc`],
      requests: [{ method: 'GET', url: 'https://x.test/a', resourceType: 'document', status: 503 }],
    };
    const written = await writeArtifacts(
      root,
      result({ runId: 'ok' }),
      evidence,
      new Redactor([secret]),
      log,
    );
    const a = written.artifacts!;
    expect(Object.keys(a).sort()).toEqual(['console', 'dir', 'requests', 'trace']);
    expect(await readFile(a.console!, 'utf8')).toBe('console.error: token [redacted] at https://x.test/a\n');
    const zip = await JSZip.loadAsync(await readFile(a.trace!));
    expect(await zip.file('trace.trace')!.async('string')).toBe('{"value":"[redacted]"}');
    const saved = JSON.parse(await readFile(join(a.dir, 'result.json'), 'utf8')) as RunResult;
    expect(saved.artifacts).toEqual(a);
    expect(written.annotations).toEqual({});
  });

  it('drops a trace that still holds a secret after scrubbing, and says so', async () => {
    // Replacing "ted]" inside "[redacted]" leaves "[redac[redacted]": the re-scan still finds it.
    const tracePath = await zipWith('a ted] b');
    const written = await writeArtifacts(
      root,
      result({ runId: 'unscrubbable' }),
      { tracePath, consoleLines: [], requests: [] },
      new Redactor(['ted]']),
      log,
    );
    expect(written.artifacts!.trace).toBeUndefined();
    expect(written.annotations.traceRemoved).toMatch(/secret survived/);
    expect(await readdir(written.artifacts!.dir)).not.toContain('trace.zip');
  });

  it('reports an unwritable root as artifactError instead of throwing', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, '');
    const written = await writeArtifacts(file, result(), undefined, new Redactor([]), log);
    expect(written.artifacts).toBeUndefined();
    expect(written.annotations.artifactError).toMatch(/^directory: /);
  });
});
