import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { isJourney } from './define.js';
import { ensureJourneyLoading } from './hooks.js';
import type { Journey } from './types.js';

/** Journey files: `*.journey.ts` (and plain-JavaScript `*.journey.js`/`.mjs`). */
export const JOURNEY_FILE = /\.journey\.(?:ts|mts|js|mjs)$/;

/** The package's own journeys (purchase, renewal, seat-change), wherever it is installed. */
export const BUILT_IN_JOURNEYS_DIR = fileURLToPath(new URL('../../journeys', import.meta.url));

/** A journey file is source code: anything larger is refused unread. */
export const MAX_JOURNEY_FILE_BYTES = 1024 * 1024;

/**
 * How long importing one journey file may take (its imports and top-level code): a
 * top-level await that never settles or a slow import is reported, not waited for.
 * PROBER_JOURNEY_IMPORT_TIMEOUT_MS overrides it.
 */
export const JOURNEY_IMPORT_TIMEOUT_MS = 15_000;

/** A directory journeys are loaded from. */
export interface JourneySource {
  readonly dir: string;
  /** false: a missing directory is skipped (the default `journeys` beside the config). */
  readonly required: boolean;
  /** The package's own journeys: a name defined earlier (by the project) replaces them. */
  readonly builtIn?: boolean;
}

/** A journey file that could not be loaded, with where the problem is. */
export interface JourneyLoadProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface LoadedJourneys {
  /** By name, in file order. */
  readonly journeys: ReadonlyMap<string, Journey>;
  readonly problems: readonly JourneyLoadProblem[];
  /** Every directory looked in, in order; `(not there)` marks a missing optional one. */
  readonly searched: readonly string[];
}

/** `searched /a/journeys (not there), /pkg/journeys`: for every "unknown journey" message. */
export function describeSearched(loaded: Pick<LoadedJourneys, 'searched'>): string {
  return `searched ${loaded.searched.length > 0 ? loaded.searched.join(', ') : 'no directory'}`;
}

/** `journeys/bad.journey.ts:12: message`: how a problem is shown on one line. */
export function formatProblem(problem: JourneyLoadProblem, cwd = process.cwd()): string {
  const where = relative(cwd, problem.file) || problem.file;
  return `${where}${problem.line === undefined ? '' : `:${problem.line}`}: ${problem.message}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where in `file` an error points: esbuild's `file:L:C: ERROR`, a stack frame, or a SyntaxError's first line. */
export function lineOf(error: unknown, file: string): number | undefined {
  const text = stripAnsi(error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error));
  const path = `(?:file://)?${escape(file)}`;
  // Some transformers name the file relative to their root: match its name after a separator.
  const named = `(?:^|[\\s(\\[/])${escape(basename(file))}`;
  const match =
    new RegExp(`${path}:(\\d+)(?::\\d+)?`).exec(text) ??
    new RegExp(`${named}:(\\d+)(?::\\d+)?`, 'm').exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) {
    // `throw undefined` or `throw {code: 42}` printed as "undefined" / "[object Object]" said nothing.
    return `threw a non-Error value at import: ${inspect(error, { depth: 1, breakLength: Infinity })}`;
  }
  const text = stripAnsi(error.message);
  // esbuild (tsx): `file:3:10: ERROR: Unexpected ";"`; oxc (vite): `[PARSE_ERROR] Unexpected token`.
  const transform = /ERROR: (.+)/.exec(text) ?? /\[\w*ERROR\] *(.+)/.exec(text);
  if (transform?.[1] !== undefined) return `syntax error: ${transform[1].trim()}`;
  const first = error.message.split('\n')[0] ?? '';
  return error.name === 'SyntaxError' ? `syntax error: ${first}` : first;
}

async function lineOfText(file: string, needle: string): Promise<number | undefined> {
  try {
    const lines = (await readFile(file, 'utf8')).split('\n');
    const index = lines.findIndex((l) => l.includes(`'${needle}'`) || l.includes(`"${needle}"`));
    return index < 0 ? undefined : index + 1;
  } catch {
    return undefined;
  }
}

function importTimeoutMs(): number {
  const fromEnv = Number(process.env.PROBER_JOURNEY_IMPORT_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : JOURNEY_IMPORT_TIMEOUT_MS;
}

/** Refuses what is not a regular source file before anything reads it (a FIFO would block, /dev/zero never ends). */
export async function checkFile(file: string): Promise<string | undefined> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    return `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (!info.isFile()) {
    const kind = info.isFIFO()
      ? 'a FIFO'
      : info.isCharacterDevice() || info.isBlockDevice()
        ? 'a device'
        : info.isDirectory()
          ? 'a directory'
          : info.isSocket()
            ? 'a socket'
            : 'not a file';
    return `not a regular file (${kind}): refused`;
  }
  if (info.size > MAX_JOURNEY_FILE_BYTES) {
    return `${info.size} bytes, more than the ${MAX_JOURNEY_FILE_BYTES} a journey file may have: refused`;
  }
  return undefined;
}

/** import() bounded in time: a pending top-level await would otherwise end the process with exit 13 and no word. */
async function importBounded(file: string): Promise<{ default?: unknown }> {
  const ms = importTimeoutMs();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ImportTimeoutError(
            `did not finish loading within ${ms / 1000} s (a top-level await that never settles, or a slow import)`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([import(pathToFileURL(file).href) as Promise<{ default?: unknown }>, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class ImportTimeoutError extends Error {
  override readonly name = 'ImportTimeoutError';
}

/** One journey file, as loadJourneys loads each (a journey worker loads its run's file with it). */
export async function loadJourneyFile(file: string): Promise<Journey | JourneyLoadProblem> {
  await ensureJourneyLoading();
  return loadOne(file);
}

async function loadOne(file: string): Promise<Journey | JourneyLoadProblem> {
  const refused = await checkFile(file);
  if (refused !== undefined) return { file, message: refused };
  let module: { default?: unknown };
  try {
    module = await importBounded(file);
  } catch (error) {
    if (error instanceof ImportTimeoutError) return { file, message: error.message };
    return { file, line: lineOf(error, file), message: messageOf(error) };
  }
  if (module.default === undefined) {
    return { file, message: 'no default export: export default defineJourney({ … })' };
  }
  if (!isJourney(module.default)) {
    return { file, message: 'the default export is not a journey: wrap it in defineJourney({ … })' };
  }
  return module.default;
}

/** The journey files of one directory, sorted; a problem when it cannot be read. */
/**
 * The sources in order, each directory once (by its real path): the checkout's own
 * journeys/ is also the built-in directory, and is read once.
 */
export async function distinctSources(sources: readonly JourneySource[]): Promise<JourneySource[]> {
  const seen = new Set<string>();
  const distinct: JourneySource[] = [];
  for (const source of sources) {
    const real = await realpath(source.dir).catch(() => source.dir);
    if (seen.has(real)) continue;
    seen.add(real);
    distinct.push(source);
  }
  return distinct;
}

export async function filesOf(source: JourneySource): Promise<string[] | JourneyLoadProblem | 'absent'> {
  try {
    return (await readdir(source.dir)).filter((n) => JOURNEY_FILE.test(n)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (code === 'ENOENT' && !source.required) return 'absent';
    return { file: source.dir, message: `cannot read the journeys directory (${code})` };
  }
}

/**
 * Loads every journey file of the given directories, in order. A broken file is reported by
 * name and line and the others still load; a journey name defined twice keeps the first
 * file's, except that a project's journey silently replaces a built-in one of the same name.
 */
export async function loadJourneys(sources: string | readonly JourneySource[]): Promise<LoadedJourneys> {
  const list = typeof sources === 'string' ? [{ dir: sources, required: true }] : sources;
  const journeys = new Map<string, Journey>();
  const problems: JourneyLoadProblem[] = [];
  const searched: string[] = [];
  for (const source of await distinctSources(list)) {
    const names = await filesOf(source);
    searched.push(names === 'absent' ? `${source.dir} (not there)` : source.dir);
    if (names === 'absent') continue;
    if (!Array.isArray(names)) {
      problems.push(names);
      continue;
    }
    if (names.length > 0) await ensureJourneyLoading();
    await loadDirectory(source, names, journeys, problems);
  }
  return { journeys, problems, searched };
}

/** One journey file, imported with the journey loading hooks in place: the journey (with its file) or its problem. */
export async function loadFile(
  file: string,
): Promise<{ readonly journey: Journey } | { readonly problem: JourneyLoadProblem }> {
  await ensureJourneyLoading();
  const loaded = await loadOne(file);
  return isJourney(loaded) ? { journey: Object.freeze({ ...loaded, file }) } : { problem: loaded };
}

async function loadDirectory(
  source: JourneySource,
  names: readonly string[],
  journeys: Map<string, Journey>,
  problems: JourneyLoadProblem[],
): Promise<void> {
  for (const name of names) {
    // The built-in files are named after their journey: one the project replaced is not even imported.
    if (source.builtIn === true && journeys.has(name.replace(JOURNEY_FILE, ''))) continue;
    const file = join(source.dir, name);
    const loaded = await loadOne(file);
    if (!isJourney(loaded)) {
      problems.push(loaded);
      continue;
    }
    const earlier = journeys.get(loaded.name);
    if (earlier !== undefined) {
      if (source.builtIn === true) continue;
      problems.push({
        file,
        line: await lineOfText(file, loaded.name),
        message: `journey name "${loaded.name}" is already defined in ${earlier.file ?? 'another file'}`,
      });
      continue;
    }
    journeys.set(loaded.name, Object.freeze({ ...loaded, file }));
  }
}
