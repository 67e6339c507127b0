import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunResult } from '../journey/types.js';
import { logFiles } from './read.js';

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
