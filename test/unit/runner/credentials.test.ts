import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import JSZip from 'jszip';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/journey/types.js';
import { Redactor } from '../../../src/log.js';
import { writeArtifacts } from '../../../src/runner/artifacts.js';
import {
  authorizationValues,
  cookieValues,
  SECRET_QUERY_PARAMS,
  secretParamValues,
} from '../../../src/runner/sanitize.js';
import { privateTraceDir, STALE_ARTIFACTS_MS, sweepStaleTraces } from '../../../src/runner/artifacts.js';
import { decompressed, headCompressed, scrubZip, zipIsClean } from '../../../src/runner/trace-scrub.js';

const SECRET = 'hunter2-very-secret';

describe('credentials in headers and URLs', () => {
  it('takes every value of a Cookie header and of Set-Cookie lines, skipping cleared ones', () => {
    expect(cookieValues('_session=abc123456; theme=dark; q="quoted-value"', false)).toEqual([
      'abc123456',
      'dark',
      'quoted-value',
    ]);
    expect(cookieValues('_session=new-value-1; Path=/; HttpOnly\nremember=; Max-Age=0', true)).toEqual([
      'new-value-1',
    ]);
  });

  it('takes bearer tokens and Basic credentials, decoded', () => {
    expect(authorizationValues('Bearer tok-123456')).toEqual(['Bearer tok-123456', 'tok-123456']);
    const basic = Buffer.from('qa:pass-word').toString('base64');
    expect(authorizationValues(`Basic ${basic}`)).toEqual([
      `Basic ${basic}`,
      basic,
      'qa:pass-word',
      'pass-word',
    ]);
  });

  it('takes the values of secret query and fragment parameters only', () => {
    const names = new Set<string>(SECRET_QUERY_PARAMS);
    expect(
      secretParamValues('https://x/cb?code=c0de-1234&state=st4te-5678&page=2#access_token=frag-token', names),
    ).toEqual(['c0de-1234', 'st4te-5678', 'frag-token']);
    expect(secretParamValues('https://x/?Private_Token=abc', names)).toEqual(['abc']);
    expect(secretParamValues('not a url', names)).toEqual([]);
  });
});

describe('compressed trace bodies', () => {
  const body = Buffer.from(JSON.stringify({ typed: SECRET }));

  it('finds the body inside gzip, zlib, brotli and raw deflate; nothing in plain bytes', () => {
    for (const packed of [
      gzipSync(body),
      deflateSync(body),
      brotliCompressSync(body),
      deflateRawSync(body),
    ]) {
      expect(decompressed(packed)?.toString()).toBe(body.toString());
    }
    expect(decompressed(Buffer.from('plain text, not compressed at all'))).toBeUndefined();
  });

  it('scrubZip replaces a compressed body holding a secret by its redacted form; the re-scan agrees', async () => {
    const zip = new JSZip();
    zip.file('trace.trace', '{"type":"action"}');
    zip.file('resources/aaa.bin', gzipSync(body));
    zip.file('resources/bbb.bin', brotliCompressSync(body));
    const input = await zip.generateAsync({ type: 'nodebuffer' });
    const redactor = new Redactor([SECRET]);
    expect(await zipIsClean(input, redactor)).toBe(false);
    const result = await scrubZip(input, redactor);
    expect(result.clean).toBe(true);
    expect(result.replaced).toBe(2);
    const out = await JSZip.loadAsync(result.zip);
    expect(await out.file('resources/aaa.bin')!.async('string')).toBe('{"typed":"[redacted]"}');
  });

  it('tells a compressed body by its head alone; plain text, HTML and random bytes are not', () => {
    const large = Buffer.from(
      JSON.stringify({ typed: SECRET, rows: Array.from({ length: 20_000 }, (_, i) => ({ i })) }),
    );
    for (const packed of [
      gzipSync(large),
      deflateSync(large),
      brotliCompressSync(large),
      deflateRawSync(large),
    ])
      expect(headCompressed(packed.subarray(0, 4096))).toBe(true);
    for (const plain of [
      large,
      Buffer.from('<!DOCTYPE html><html>' + 'hello '.repeat(5_000)),
      randomBytes(65_536),
    ])
      expect(headCompressed(plain.subarray(0, 65_536))).toBe(false);
  });

  it('a compressed body too large to read whole (over 16 MiB) is dropped, not streamed with the secret inside', async () => {
    // 17 MiB of incompressible bytes around the secret, gzipped: over the whole-entry bound even compressed.
    const inner = Buffer.concat([
      randomBytes(8 * 1024 * 1024),
      Buffer.from(SECRET),
      randomBytes(9 * 1024 * 1024),
    ]);
    const zip = new JSZip();
    zip.file('trace.trace', '{"type":"action"}');
    zip.file('resources/big.bin', gzipSync(inner, { level: 1 }));
    zip.file(
      'resources/plain.txt',
      Buffer.concat([Buffer.from(SECRET), Buffer.alloc(17 * 1024 * 1024, 0x61)]),
    );
    const input = await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
    const result = await scrubZip(input, new Redactor([SECRET]));
    expect(result.clean).toBe(true);
    const out = await JSZip.loadAsync(result.zip);
    expect(await out.file('resources/big.bin')!.async('string')).toContain('body dropped by journey-prober');
    const plain = await out.file('resources/plain.txt')!.async('string');
    expect([plain.slice(0, 10), plain.length > 17 * 1024 * 1024]).toEqual(['[redacted]', true]);
  }, 60_000);
});

describe('raw traces and leftovers', () => {
  it('the private folder is 0700', async () => {
    const { stat } = await import('node:fs/promises');
    expect((await stat(privateTraceDir())).mode & 0o777).toBe(0o700);
  });

  it("sweeps a dead process's raw folder and stale, non-empty playwright-artifacts-*; keeps the rest", async () => {
    const root = await mkdtemp(join(tmpdir(), 'sweep-'));
    try {
      const dead = join(root, 'journey-prober-raw-999999999-abc');
      const mine = join(root, `journey-prober-raw-${process.pid}-abc`);
      const stale = join(root, 'playwright-artifacts-stale');
      const fresh = join(root, 'playwright-artifacts-fresh');
      const empty = join(root, 'playwright-artifacts-empty');
      for (const dir of [dead, mine, stale, fresh, empty]) await mkdir(dir);
      await writeFile(join(stale, 'trace.network'), 'password');
      await writeFile(join(fresh, 'trace.network'), 'password');
      const old = new Date(Date.now() - STALE_ARTIFACTS_MS - 60_000);
      await utimes(join(stale, 'trace.network'), old, old);
      await utimes(stale, old, old);
      await utimes(empty, old, old);
      expect(await sweepStaleTraces(root)).toBe(2);
      expect((await readdir(root)).sort()).toEqual(
        [
          'journey-prober-raw-' + process.pid + '-abc',
          'playwright-artifacts-empty',
          'playwright-artifacts-fresh',
        ].sort(),
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('a run cut by shutdown is still written, without waiting to scrub its trace', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cut-'));
    try {
      const raw = join(root, 'raw.zip');
      const zip = new JSZip();
      zip.file('trace.trace', `{"value":"${SECRET}"}`);
      await writeFile(raw, await zip.generateAsync({ type: 'nodebuffer' }));
      const result: RunResult = {
        runId: 'cut',
        journey: 'j',
        target: 't',
        startedAt: '2026-01-01T00:00:00.000Z',
        outcome: 'error',
        durationMs: 1,
        attempts: 1,
        attemptOutcomes: ['error'],
        steps: [],
        failure: { step: 'journey', class: 'timeout', message: 'run aborted by shutdown' },
        safeMode: false,
        cleanupFailures: 0,
        annotations: {},
      };
      const written = await writeArtifacts(
        root,
        result,
        { tracePath: raw, consoleLines: [], requests: [] },
        new Redactor([SECRET]),
        pino({ level: 'silent' }),
        AbortSignal.abort(),
      );
      expect(written.artifacts?.trace).toBeUndefined();
      expect(written.annotations.traceRemoved).toMatch(/shutdown/);
      expect(written.artifacts?.dir).toBeDefined();
      expect((await readdir(written.artifacts!.dir)).sort()).toEqual([
        'console.log',
        'requests.json',
        'result.json',
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
