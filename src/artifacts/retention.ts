import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { ParsedConfig } from '../config/schema.js';
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

/** Limits on the artifacts tree (config `artifacts.maxRuns`, `artifacts.maxBytes`). */
export interface RetentionLimits {
  readonly maxRuns: number;
  readonly maxBytes: number;
}

/** What one sweep found and removed. */
export interface RetentionReport {
  readonly runsBefore: number;
  readonly bytesBefore: number;
  readonly removed: readonly string[];
  readonly runsAfter: number;
  readonly bytesAfter: number;
}

/** A directory kept only for its passing run (trace `on`): the first to go. */
function isPassing(run: RunDir): boolean {
  return run.outcome === 'success' || run.outcome === 'degraded';
}

/**
 * The order in which run directories are given up: passing runs oldest first, then
 * failures (and runs whose outcome is unknown) oldest first. Failures outlive successes.
 */
export function evictionOrder(runs: readonly RunDir[]): RunDir[] {
  const byAge = (a: RunDir, b: RunDir): number => a.time - b.time || a.path.localeCompare(b.path);
  return [...runs.filter(isPassing).sort(byAge), ...runs.filter((r) => !isPassing(r)).sort(byAge)];
}

/** The directories to remove so that at most `maxRuns` remain holding at most `maxBytes`. */
export function selectForRemoval(runs: readonly RunDir[], limits: RetentionLimits): RunDir[] {
  let count = runs.length;
  let bytes = runs.reduce((n, r) => n + r.bytes, 0);
  const remove: RunDir[] = [];
  for (const run of evictionOrder(runs)) {
    if (count <= limits.maxRuns && bytes <= limits.maxBytes) break;
    remove.push(run);
    count -= 1;
    bytes -= run.bytes;
  }
  return remove;
}

export interface RetentionOptions extends RetentionLimits {
  readonly root: string;
  readonly log: Logger;
}

/**
 * Keeps the artifacts tree within its limits. `sweep()` is called at start and after each
 * run; calls during a sweep share one follow-up sweep, so sweeps never overlap.
 */
export class ArtifactRetention {
  readonly #options: RetentionOptions;
  #running: Promise<RetentionReport> | undefined;
  #next: Promise<RetentionReport> | undefined;

  constructor(options: RetentionOptions) {
    for (const key of ['maxRuns', 'maxBytes'] as const) {
      const value = options[key];
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`artifacts.${key} must be a positive integer`);
    }
    this.#options = options;
  }

  sweep(): Promise<RetentionReport> {
    if (this.#running === undefined) {
      this.#running = this.#sweep().finally(() => {
        this.#running = undefined;
      });
      return this.#running;
    }
    this.#next ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#next = undefined;
        return this.sweep();
      });
    return this.#next;
  }

  async #sweep(): Promise<RetentionReport> {
    const { root, log } = this.#options;
    const runs = await scanRunDirs(root);
    const bytesBefore = runs.reduce((n, r) => n + r.bytes, 0);
    const removed: string[] = [];
    let freed = 0;
    for (const run of selectForRemoval(runs, this.#options)) {
      try {
        await rm(run.path, { recursive: true, force: true });
        removed.push(run.path);
        freed += run.bytes;
        await removeIfEmpty(dirname(run.path), 2);
      } catch (error) {
        log.warn({ dir: run.path, err: (error as NodeJS.ErrnoException).code }, 'could not remove an artifacts directory');
      }
    }
    if (removed.length > 0) log.info({ removed: removed.length, freedBytes: freed }, 'artifacts retention');
    return {
      runsBefore: runs.length,
      bytesBefore,
      removed,
      runsAfter: runs.length - removed.length,
      bytesAfter: bytesBefore - freed,
    };
  }
}

/** Removes `dir` and up to `levels - 1` parents while they are empty. */
async function removeIfEmpty(dir: string, levels: number): Promise<void> {
  let current = dir;
  for (let i = 0; i < levels; i++) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}

/** The retention of serve's artifacts tree, from config `artifacts`. */
export function createRetention(
  artifacts: Pick<ParsedConfig['artifacts'], 'dir' | 'maxRuns' | 'maxBytes'>,
  log: Logger,
): ArtifactRetention {
  return new ArtifactRetention({
    root: artifacts.dir,
    maxRuns: artifacts.maxRuns,
    maxBytes: artifacts.maxBytes,
    log: log.child({ component: 'artifacts' }),
  });
}

/** One retention sweep; a failure is logged, never thrown (evidence keeping must not stop probing). */
export async function sweepLogged(retention: ArtifactRetention, log: Logger): Promise<void> {
  try {
    await retention.sweep();
  } catch (error) {
    log.warn({ err: error instanceof Error ? error.message : String(error) }, 'artifacts retention failed');
  }
}
