import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError } from '../config/errors.js';
import type { RunResult } from '../journey/types.js';
import { parseResultLine } from './schema.js';

// The results log on disk: one JSON line per run, appended and fsync'd, rotated by size, read back at start.

/** A run result that could not be written to the results log. */
export class ResultsWriteError extends Error {
  override readonly name = 'ResultsWriteError';
}

export interface ResultsLogOptions {
  /** The live file; rotated files are `path.1` (newest) … `path.N`. */
  readonly path: string;
  /** Rotate before a write would make the live file larger than this. */
  readonly maxBytes: number;
  /** Rotated files kept; default 2. */
  readonly keepRotated?: number;
}

/** Rotated files kept unless told otherwise. */
export const DEFAULT_KEEP_ROTATED = 2;

/**
 * The durable run history: one JSON line per finished run, appended and fsync'd before
 * `append` resolves, rotated by size. Appends are serialised, so lines never interleave.
 */
export class ResultsLog {
  readonly #path: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  #handle: FileHandle | undefined;
  #size = 0;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: ResultsLogOptions) {
    if (!(options.maxBytes > 0)) throw new RangeError('results.maxBytes must be positive');
    this.#path = options.path;
    this.#maxBytes = options.maxBytes;
    this.#keep = options.keepRotated ?? DEFAULT_KEEP_ROTATED;
  }

  get path(): string {
    return this.#path;
  }

  /** Opens (creating directories) and ends a line cut short by a crash, so the next line starts clean. */
  async #ensureOpen(): Promise<FileHandle> {
    if (this.#handle !== undefined) return this.#handle;
    await mkdir(dirname(this.#path), { recursive: true });
    const handle = await open(this.#path, 'a+');
    const { size } = await handle.stat();
    this.#size = size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) {
        await handle.write('\n');
        this.#size += 1;
      }
    }
    this.#handle = handle;
    return handle;
  }

  async #rotate(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
    const files = logFiles(this.#path, this.#keep); // oldest first, live last
    if (this.#keep === 0) {
      await rm(this.#path, { force: true });
      return;
    }
    await rm(files[0] ?? '', { force: true });
    for (let i = 1; i < files.length; i++) {
      await rename(files[i] ?? '', files[i - 1] ?? '').catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }

  async #write(line: string): Promise<void> {
    const bytes = Buffer.byteLength(line);
    try {
      if (this.#handle === undefined) await this.#ensureOpen();
      if (this.#size > 0 && this.#size + bytes > this.#maxBytes) await this.#rotate();
      const handle = await this.#ensureOpen();
      await handle.write(line);
      await handle.datasync();
      this.#size += bytes;
    } catch (error) {
      // Reopen next time: that also ends a partly written line before the next one.
      await this.#handle?.close().catch(() => undefined);
      this.#handle = undefined;
      throw error;
    }
  }

  /** Appends one run; resolves once it is on disk. Rejects with ResultsWriteError. */
  append(result: RunResult): Promise<void> {
    if (this.#closed) return Promise.reject(new ResultsWriteError('the results log is closed'));
    const line = `${JSON.stringify(result)}\n`;
    const done = this.#queue.then(() => this.#write(line));
    this.#queue = done.catch(() => undefined);
    return done.catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      throw new ResultsWriteError(`cannot append to ${this.#path}: ${code}`);
    });
  }

  /** Waits for pending appends, then closes the file. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    await this.#handle?.close();
    this.#handle = undefined;
  }
}

/** What reading the results log back gave. */
export interface ReadBack {
  /** The newest runs, oldest first, at most `retain`. */
  readonly results: RunResult[];
  /** Lines that were not run results (corrupted, or cut short by a crash): skipped. */
  readonly dropped: number;
  /** Run results read in all, before keeping the newest. */
  readonly read: number;
}

/** The results log exists but cannot be read (a directory, no permission): the operator's to fix, exit 2. */
export class ResultsReadError extends UsageError {
  override readonly name = 'ResultsReadError';
}

/** The log's files, oldest first: `path.N` … `path.1`, then `path`. */
export function logFiles(path: string, keepRotated: number): string[] {
  const rotated = Array.from({ length: keepRotated }, (_, i) => `${path}.${keepRotated - i}`);
  return [...rotated, path];
}

/** The newest `retain` of the runs added, oldest first; trimmed in batches so adding stays O(1). */
class Newest {
  readonly #retain: number;
  #runs: RunResult[] = [];

  constructor(retain: number) {
    if (!Number.isInteger(retain) || retain < 1) throw new RangeError('history capacity must be a positive integer');
    this.#retain = retain;
  }

  add(result: RunResult): void {
    this.#runs.push(result);
    if (this.#runs.length >= 2 * this.#retain) this.#runs = this.#runs.slice(-this.#retain);
  }

  all(): RunResult[] {
    return this.#runs.slice(-this.#retain);
  }
}

async function readInto(file: string, history: Newest): Promise<{ read: number; dropped: number }> {
  let read = 0;
  let dropped = 0;
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    stream.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    stream.once('ready', () => resolve(undefined));
  });
  const failed = await opened;
  if (failed?.code === 'ENOENT') return { read, dropped };
  const unreadable = (error: unknown): ResultsReadError => {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return new ResultsReadError(
      `cannot read the results log ${file}: ${code} (results.path must name a readable file)`,
    );
  };
  if (failed !== undefined) throw unreadable(failed);
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      const result = parseResultLine(line);
      if (result === undefined) {
        dropped += 1;
        continue;
      }
      read += 1;
      history.add(result);
    }
  } catch (error) {
    throw unreadable(error); // a directory opens, then fails on the first read (EISDIR)
  }
  return { read, dropped };
}

/**
 * Reads the results log back (rotated files first), keeping the newest `retain` runs. A line
 * that is not a run result is skipped and counted, never fatal: a crash mid-write leaves
 * at most one such line.
 */
export async function readResults(path: string, keepRotated: number, retain: number): Promise<ReadBack> {
  const history = new Newest(retain);
  let read = 0;
  let dropped = 0;
  for (const file of logFiles(path, keepRotated)) {
    const counts = await readInto(file, history);
    read += counts.read;
    dropped += counts.dropped;
  }
  return { results: history.all(), dropped, read };
}
