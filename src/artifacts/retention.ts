import { rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { scanRunDirs, type RunDir } from './scan.js';

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
