import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { isJourney } from './define.js';
import { ensureJourneyLoading } from './hooks.js';
import type { Journey } from './types.js';

/** Journey files: `*.journey.ts` (and plain-JavaScript `*.journey.js`/`.mjs`). */
export const JOURNEY_FILE = /\.journey\.(?:ts|mts|js|mjs)$/;

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

async function loadOne(file: string): Promise<Journey | JourneyLoadProblem> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
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

/**
 * Loads every journey file of a directory. A broken file is reported by name and line and
 * the others still load; a journey name defined twice keeps the first file's.
 */
export async function loadJourneys(dir: string): Promise<LoadedJourneys> {
  ensureJourneyLoading();
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => JOURNEY_FILE.test(n)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return {
      journeys: new Map(),
      problems: [{ file: dir, message: `cannot read the journeys directory (${code})` }],
    };
  }
  const journeys = new Map<string, Journey>();
  const problems: JourneyLoadProblem[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const loaded = await loadOne(file);
    if (!isJourney(loaded)) {
      problems.push(loaded);
      continue;
    }
    const earlier = journeys.get(loaded.name);
    if (earlier !== undefined) {
      problems.push({
        file,
        line: await lineOfText(file, loaded.name),
        message: `journey name "${loaded.name}" is already defined in ${earlier.file ?? 'another file'}`,
      });
      continue;
    }
    journeys.set(loaded.name, Object.freeze({ ...loaded, file }));
  }
  return { journeys, problems };
}
