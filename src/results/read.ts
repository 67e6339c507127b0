import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RunResult } from '../journey/types.js';
import { UsageError } from '../config/errors.js';
import { RunHistory } from './history.js';
import { parseResultLine } from './schema.js';

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

async function readInto(file: string, history: RunHistory): Promise<{ read: number; dropped: number }> {
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
  const history = new RunHistory(retain);
  let read = 0;
  let dropped = 0;
  for (const file of logFiles(path, keepRotated)) {
    const counts = await readInto(file, history);
    read += counts.read;
    dropped += counts.dropped;
  }
  return { results: history.all(), dropped, read };
}
