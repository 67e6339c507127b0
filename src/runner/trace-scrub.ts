import { createWriteStream } from 'node:fs';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { Redactor } from '../log.js';

/**
 * The raw trace, and making it safe. A Playwright trace holds what the run typed (`fill()`
 * values), every request and response with its cookies, headers and bodies, and DOM
 * snapshots: until scrubbed it lives in a private folder, and it is scrubbed entry by entry,
 * streamed, so a trace of any size costs the memory of one bounded entry.
 */

/** What scrubbing a zip did. `clean`: a re-scan of the output found no secret. */
export interface ScrubResult {
  /** Occurrences replaced, over all entries (a decompressed body counts its own). */
  readonly replaced: number;
  /** Compressed bodies that could not be scanned and were dropped. */
  readonly dropped: number;
  readonly clean: boolean;
}

/** Entries up to this size are read whole, to look inside them if they are compressed. */
const MAX_WHOLE_ENTRY = 16 * 1024 * 1024;
/** A compressed body that inflates beyond this is dropped, not scanned (a zip bomb). */
const MAX_INFLATED = 64 * 1024 * 1024;
const DROPPED_BODY = Buffer.from('[body dropped by journey-prober: compressed and too large to scan]');

const gzipped = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
// zlib (RFC 1950): CM 8 and a header checksum that divides by 31.
const zlibbed = (b: Buffer): boolean =>
  b.length >= 2 && (b[0]! & 0x0f) === 8 && (b[0]! * 256 + b[1]!) % 31 === 0;

/**
 * The body inside a compressed entry (what a page compressed before sending: session replay,
 * RUM beacons), trying gzip and zlib by their headers, then brotli and raw deflate, which have
 * none. `undefined`: not compressed; `'too large'`: it would inflate past MAX_INFLATED.
 */
export function decompressed(body: Buffer): Buffer | 'too large' | undefined {
  const options = { maxOutputLength: MAX_INFLATED };
  const attempts = [
    ...(gzipped(body) ? [() => gunzipSync(body, options)] : []),
    ...(zlibbed(body) ? [() => inflateSync(body, options)] : []),
    () => brotliDecompressSync(body, options),
    () => inflateRawSync(body, options),
  ];
  for (const attempt of attempts) {
    try {
      const out = attempt();
      if (out.length > 0) return out;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return 'too large';
    }
  }
  return undefined;
}

/** How much of a body too large to read whole is looked at to tell whether it is compressed. */
const HEAD_BYTES = 64 * 1024;

/**
 * Whether the head of a body (its first bytes only) decodes under gzip, zlib, brotli or raw
 * deflate: a compressed body too large to read whole cannot be scanned, so it is dropped.
 */
export function headCompressed(head: Buffer): boolean {
  const partial = { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_INFLATED };
  const attempts = [
    ...(gzipped(head) ? [() => gunzipSync(head, partial)] : []),
    ...(zlibbed(head) ? [() => inflateSync(head, partial)] : []),
    () =>
      brotliDecompressSync(head, {
        finishFlush: constants.BROTLI_OPERATION_FLUSH,
        maxOutputLength: MAX_INFLATED,
      }),
    () => inflateRawSync(head, partial),
  ];
  return attempts.some((attempt) => {
    try {
      return attempt().length > 0;
    } catch (error) {
      return (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
    }
  });
}

/** A body too large to read whole: its head, and the whole body again as a stream (head first). */
async function peek(stream: Readable): Promise<{ head: Buffer; body: Readable }> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < HEAD_BYTES && !ended) {
    const next = await chunks.next();
    if (next.done === true) ended = true;
    else {
      head.push(next.value);
      size += next.value.length;
    }
  }
  const first = Buffer.concat(head);
  async function* all(): AsyncGenerator<Buffer> {
    yield first;
    if (ended) return;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
  }
  return { head: first.subarray(0, HEAD_BYTES), body: Readable.from(all()) };
}

type Source = Buffer | string;

/** Bodies live under `resources/`; the trace's own event files are JSON lines. */
const mayBeCompressed = (entry: yauzl.Entry): boolean =>
  entry.fileName.startsWith('resources/') && entry.uncompressedSize <= MAX_WHOLE_ENTRY;

function openZip(source: Source): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, autoClose: true };
  return typeof source === 'string'
    ? yauzl.openPromise(source, options)
    : yauzl.fromBufferPromise(source, options);
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry): void => (done(), resolve(entry));
    const onEnd = (): void => (done(), resolve(undefined));
    const onError = (error: Error): void => (done(), reject(error));
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

async function readWhole(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Calls `visit` with each file entry in turn, the next only once it has finished. */
async function eachEntry(
  source: Source,
  signal: AbortSignal | undefined,
  visit: (entry: yauzl.Entry, open: () => Promise<Readable>) => Promise<void>,
): Promise<void> {
  const zip = await openZip(source);
  try {
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      signal?.throwIfAborted();
      if (entry.fileName.endsWith('/')) continue;
      const current = entry;
      await visit(current, () => zip.openReadStreamPromise(current));
    }
  } finally {
    zip.close();
  }
}

/**
 * Rewrites every entry of a zip (a Playwright trace) with each secret replaced by
 * `[redacted]` into `sink`; compressed bodies that hold a secret are replaced by their
 * decompressed, redacted form, and those too large to inflate are dropped.
 */
async function rewrite(
  source: Source,
  sink: Writable,
  redactor: Redactor,
  signal?: AbortSignal,
): Promise<{ replaced: number; dropped: number }> {
  const out = new yazl.ZipFile();
  const written = pipeline(out.outputStream, sink);
  written.catch(() => undefined);
  // A sink that fails (a full disk) stops yazl reading the entry it is on: without this race
  // the entry would never end and the run's evidence work would hang.
  const writeFailed = new Promise<never>((_, reject) => {
    written.catch(reject);
  });
  writeFailed.catch(() => undefined);
  let replaced = 0;
  let dropped = 0;
  try {
    await eachEntry(source, signal, async (entry, open) => {
      const name = redactor.redact(entry.fileName);
      if (name !== entry.fileName) replaced++;
      let body: Readable;
      if (entry.uncompressedSize <= MAX_WHOLE_ENTRY) {
        let data = await readWhole(await open());
        const inner = mayBeCompressed(entry) ? decompressed(data) : undefined;
        if (inner === 'too large') {
          dropped++;
          data = DROPPED_BODY;
        } else if (inner !== undefined && redactor.foundIn(inner)) data = inner;
        const scrubbed = redactor.redactBuffer(data);
        replaced += scrubbed.replaced;
        body = Readable.from([scrubbed.buffer]);
      } else {
        // Too large to read whole: streamed through redaction, unless it is a compressed body
        // (its head decodes), which streaming cannot scan: that is dropped.
        const stream = await open();
        const peeked = entry.fileName.startsWith('resources/') ? await peek(stream) : undefined;
        if (peeked !== undefined && headCompressed(peeked.head)) {
          stream.destroy();
          dropped++;
          body = Readable.from([DROPPED_BODY]);
        } else {
          const redacting = redactor.redactStream();
          body = (peeked?.body ?? stream).pipe(redacting.stream);
          body.once('end', () => (replaced += redacting.replaced()));
        }
      }
      const consumed = new Promise<void>((resolve, reject) => {
        body.once('end', resolve).once('error', reject);
      });
      out.addReadStream(body, name);
      await Promise.race([consumed, writeFailed]);
    });
  } catch (error) {
    sink.destroy();
    throw error;
  }
  out.end();
  await written;
  return { replaced, dropped };
}

/** true when no entry of the zip, nor any body compressed inside one, holds a form of a secret. */
export async function zipIsClean(source: Source, redactor: Redactor, signal?: AbortSignal): Promise<boolean> {
  let clean = true;
  await eachEntry(source, signal, async (entry, open) => {
    if (!clean) return;
    if (redactor.foundIn(entry.fileName)) clean = false;
    const scanner = redactor.scanner();
    const whole: Buffer[] = [];
    for await (const chunk of await open()) {
      scanner.write(chunk as Buffer);
      if (entry.uncompressedSize <= MAX_WHOLE_ENTRY) whole.push(chunk as Buffer);
    }
    const inner = mayBeCompressed(entry) && whole.length > 0 ? decompressed(Buffer.concat(whole)) : undefined;
    if (scanner.found || inner === 'too large' || (inner && redactor.foundIn(inner))) clean = false;
  });
  return clean;
}

/** scrubZip for a zip in memory (small traces, tests): the output zip as a buffer. */
export async function scrubZip(input: Buffer, redactor: Redactor): Promise<ScrubResult & { zip: Buffer }> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const { replaced, dropped } = await rewrite(input, sink, redactor);
  const zip = Buffer.concat(chunks);
  return { zip, replaced, dropped, clean: await zipIsClean(zip, redactor) };
}

/**
 * Scrubs the trace at `input` into the file `output`, streamed, then re-scans `output`.
 * Aborting `signal` (a deadline, the prober's shutdown) stops it: the caller drops the trace.
 */
export async function scrubTraceFile(
  input: string,
  output: string,
  redactor: Redactor,
  signal?: AbortSignal,
): Promise<ScrubResult> {
  const { replaced, dropped } = await rewrite(input, createWriteStream(output), redactor, signal);
  return { replaced, dropped, clean: await zipIsClean(output, redactor, signal) };
}
