import { mkdtempSync, rmSync } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RunArtifacts, RunResult } from '../journey/types.js';
import type { Evidence } from './evidence.js';
import type { Redactor } from '../log.js';
import { stripQueryStrings, toMessage } from './sanitize.js';
import { scrubTraceFile } from './trace-scrub.js';

/** A name made safe as one path segment (no separators, no `..`). */
export function pathSegment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || safe === '.' || safe === '..' ? '_' : safe;
}

/** `<root>/<journey>/<target>/<UTC timestamp>-<runId>` */
export function runDirectory(
  root: string,
  result: Pick<RunResult, 'journey' | 'target' | 'startedAt' | 'runId'>,
): string {
  const stamp = result.startedAt.replace(/:/g, '-');
  return join(
    root,
    pathSegment(result.journey),
    pathSegment(result.target),
    `${stamp}-${pathSegment(result.runId)}`,
  );
}

export interface WrittenArtifacts {
  readonly artifacts?: RunArtifacts;
  /** Annotations to add to the result: `artifactError`, `traceRemoved`. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** Scrubbing one trace may take this long; then it is dropped (the run's verdict waits for it). */
export const TRACE_SCRUB_TIMEOUT_MS = 30_000;

/**
 * trace.zip: the raw trace scrubbed (streamed, entry by entry) into a partial file, which
 * becomes trace.zip only when its re-scan is clean. Bounded by TRACE_SCRUB_TIMEOUT_MS and by
 * `signal` (shutdown): a trace that cannot be scrubbed in time is not kept.
 */
async function writeTrace(
  raw: string,
  dir: string,
  redactor: Redactor,
  annotations: Record<string, string>,
  log: Logger,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const path = join(dir, 'trace.zip');
  const partial = `${path}.partial`;
  const bound = AbortSignal.any([AbortSignal.timeout(TRACE_SCRUB_TIMEOUT_MS), ...(signal ? [signal] : [])]);
  try {
    const scrubbed = await scrubTraceFile(raw, partial, redactor, bound);
    if (scrubbed.clean) {
      await rename(partial, path);
      return path;
    }
    annotations.traceRemoved = 'a secret survived scrubbing; the trace was not kept';
    log.error('trace still held a secret after scrubbing: not kept');
  } catch (error) {
    const why = bound.aborted
      ? signal?.aborted
        ? 'shutdown came first'
        : `scrubbing took over ${TRACE_SCRUB_TIMEOUT_MS / 1000} s`
      : toMessage(error instanceof Error ? error.message : String(error));
    annotations.traceRemoved = `the trace was not kept: ${why}`;
    log.warn({ err: why }, 'trace not kept');
  }
  await rm(partial, { force: true });
  return undefined;
}

/**
 * Writes a run's evidence: screenshot.png, trace.zip (scrubbed of every secret, removed
 * if a re-scan still finds one), console.log, requests.json and result.json. A write that
 * fails is logged and annotated; it never changes the verdict.
 */
export async function writeArtifacts(
  root: string,
  result: RunResult,
  evidence: Evidence | undefined,
  redactor: Redactor,
  log: Logger,
  signal?: AbortSignal,
): Promise<WrittenArtifacts> {
  const dir = runDirectory(root, result);
  const annotations: Record<string, string> = {};
  const files: { -readonly [K in keyof RunArtifacts]?: RunArtifacts[K] } = {};
  const clean = (text: string): string => redactor.redact(stripQueryStrings(text));
  const write = async (
    name: string,
    body: () => Promise<Buffer | string | undefined>,
  ): Promise<string | undefined> => {
    try {
      const data = await body();
      if (data === undefined) return undefined;
      const path = join(dir, name);
      await writeFile(path, data);
      return path;
    } catch (error) {
      const message = toMessage(error instanceof Error ? error.message : String(error), clean);
      annotations.artifactError ??= `${name}: ${message}`;
      log.warn({ file: name, err: message }, 'could not write artifact');
      return undefined;
    }
  };

  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const message = toMessage(error instanceof Error ? error.message : String(error), clean);
    log.warn({ dir, err: message }, 'could not create the artifacts directory');
    return { annotations: { artifactError: `directory: ${message}` } };
  }
  if (evidence?.screenshot)
    files.screenshot = await write('screenshot.png', () => Promise.resolve(evidence.screenshot));
  if (evidence?.tracePath)
    files.trace = await writeTrace(evidence.tracePath, dir, redactor, annotations, log, signal);
  if (evidence) {
    files.console = await write('console.log', () =>
      Promise.resolve(evidence.consoleLines.map((line) => `${clean(line)}\n`).join('')),
    );
    files.requests = await write('requests.json', () =>
      Promise.resolve(clean(JSON.stringify(evidence.requests, null, 2))),
    );
  }
  const existing = Object.fromEntries(Object.entries(files).filter(([, path]) => path !== undefined));
  const artifacts: RunArtifacts = { dir, ...existing };
  const final: RunResult = { ...result, artifacts, annotations: { ...result.annotations, ...annotations } };
  await write('result.json', () => Promise.resolve(clean(JSON.stringify(final, null, 2))));
  return { artifacts, annotations };
}

const RAW_PREFIX = 'journey-prober-raw-';
let privateDir: string | undefined;

/** A journey worker writes its raw traces in the main thread's folder, which sweeps and removes them. */
export function usePrivateTraceDir(dir: string): void {
  privateDir = dir;
}

/**
 * This process's private folder (0700, `$TMPDIR/journey-prober-raw-<pid>-…`) for raw traces:
 * Playwright's in-progress trace files (its `tracesDir`) and the saved zip before scrubbing.
 * Removed when the process exits; one left by a killed process is swept by the next start.
 */
export function privateTraceDir(): string {
  if (privateDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), `${RAW_PREFIX}${process.pid}-`));
    privateDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return privateDir;
}

/** Playwright's own temp folders untouched this long are a killed browser's leftovers. */
export const STALE_ARTIFACTS_MS = 15 * 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/** The newest mtime of a folder and what is directly inside it. */
async function newestChange(dir: string): Promise<{ newest: number; empty: boolean }> {
  const names = await readdir(dir);
  const times = await Promise.all(
    [dir, ...names.slice(0, 1_000).map((n) => join(dir, n))].map((p) =>
      lstat(p).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  return { newest: Math.max(...times), empty: names.length === 0 };
}

/**
 * Removes what a killed prober (kill -9, OOM) left in `$TMPDIR` with secrets in it: private
 * raw-trace folders of processes that are gone, and Playwright's `playwright-artifacts-*`
 * folders of this user that hold something and were not touched for STALE_ARTIFACTS_MS (a
 * live browser of ours keeps its traces in the private folder). Returns how many it removed.
 */
export async function sweepStaleTraces(root = tmpdir(), now = Date.now()): Promise<number> {
  let removed = 0;
  const uid = process.getuid?.();
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const path = join(root, name);
    try {
      if (name.startsWith(RAW_PREFIX)) {
        const pid = Number(/^journey-prober-raw-(\d+)-/.exec(name)?.[1]);
        if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
      } else if (name.startsWith('playwright-artifacts-')) {
        const info = await stat(path);
        if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
        const { newest, empty } = await newestChange(path);
        if (empty || now - newest < STALE_ARTIFACTS_MS) continue;
      } else continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    } catch {
      /* gone meanwhile, or not ours to remove */
    }
  }
  return removed;
}
