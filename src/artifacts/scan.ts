import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Outcome } from '../journey/outcomes.js';

/** One run's artifact directory: `<root>/<journey>/<target>/<UTC stamp>-<runId>`. */
export interface RunDir {
  readonly path: string;
  /** When the run started (from the directory name, else its mtime), ms since epoch. */
  readonly time: number;
  /** Bytes of the files under it (symlinks counted as themselves, never followed). */
  readonly bytes: number;
  /** From its result.json; undefined when that is missing or unreadable. */
  readonly outcome?: Outcome;
}

// `2026-11-24T10-00-00.000Z-<runId>`: the runner's directory name (colons made dashes).
const STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2}(?:\.\d+)?)Z-/;
const MAX_RESULT_BYTES = 1024 * 1024;

/** The start time a run directory's name encodes, or undefined. */
export function timeFromName(name: string): number | undefined {
  const m = STAMP.exec(name);
  if (!m) return undefined;
  const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
  return Number.isFinite(at) ? at : undefined;
}

async function subdirs(path: string): Promise<Dirent[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((d) => d.isDirectory());
  } catch {
    return [];
  }
}

async function treeBytes(path: string, depth: number): Promise<number> {
  let total = 0;
  let entries: Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory() && depth > 0) total += await treeBytes(child, depth - 1);
    else total += (await lstat(child).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

async function outcomeOf(dir: string): Promise<Outcome | undefined> {
  try {
    const file = join(dir, 'result.json');
    const info = await lstat(file);
    if (!info.isFile() || info.size > MAX_RESULT_BYTES) return undefined;
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { outcome?: unknown };
    const outcome = parsed.outcome;
    return typeof outcome === 'string' ? (outcome as Outcome) : undefined;
  } catch {
    return undefined;
  }
}

/** Every run directory three levels below `root`. Symlinked directories are not entered. */
export async function scanRunDirs(root: string): Promise<RunDir[]> {
  const runs: RunDir[] = [];
  for (const journey of await subdirs(root)) {
    for (const target of await subdirs(join(root, journey.name))) {
      const parent = join(root, journey.name, target.name);
      for (const run of await subdirs(parent)) {
        const path = join(parent, run.name);
        const time = timeFromName(run.name) ?? (await lstat(path).catch(() => undefined))?.mtimeMs ?? 0;
        const outcome = await outcomeOf(path);
        runs.push({ path, time, bytes: await treeBytes(path, 2), ...(outcome ? { outcome } : {}) });
      }
    }
  }
  return runs;
}
