import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { resolveTargetSpec } from '../config/targets.js';
import { isJourney } from '../journey/define.js';
import { ensureJourneyLoading } from '../journey/hooks.js';
import type { Journey, RunResult } from '../journey/types.js';
import { stripAnsi } from '../runner/sanitize.js';
import { runJourney } from '../runner/run-journey.js';
import { bringUp, checkSecrets, createBrowserPool } from './prepare.js';
import type { CommandIO } from './run.js';

/** Where the journeys declare their read-only walk of the portal's pages. */
export const DOCTOR_WALK_FILE = 'doctor.walk.ts';

export interface DoctorOptions {
  readonly target?: string;
  readonly json: boolean;
}

/** One declared locator, looked up on the page the journeys use it on. */
export interface LocatorFinding {
  readonly page: string;
  readonly name: string;
  readonly status: 'found' | 'missing' | 'ambiguous';
  /** The flows file only guesses it. */
  readonly guess: boolean;
}

const PREFIX = 'locator:';

/** The findings a walk recorded as annotations `locator:<page>:<object.name>` = status[:guess]. */
export function findingsOf(result: RunResult): LocatorFinding[] {
  return Object.entries(result.annotations).flatMap(([key, value]) => {
    if (!key.startsWith(PREFIX) || typeof value !== 'string') return [];
    const rest = key.slice(PREFIX.length);
    const cut = rest.lastIndexOf(':');
    const [status, guess] = value.split(':');
    if (status !== 'found' && status !== 'missing' && status !== 'ambiguous') return [];
    return [{ page: rest.slice(0, cut), name: rest.slice(cut + 1), status, guess: guess === 'guess' }];
  });
}

/**
 * The walk file of the first journey source that has one: the config's `journeysDir`, else
 * the package's own journeys (when built-ins are on), so doctor works from any directory.
 */
async function loadWalks(config: LoadedConfig): Promise<Journey[]> {
  const dirs = [...new Set([config.journeysDir, ...config.journeySources.map((s) => s.dir)])];
  const file = dirs.map((dir) => join(dir, DOCTOR_WALK_FILE)).find((f) => existsSync(f));
  if (file === undefined) {
    const looked = dirs.map((dir) => join(dir, DOCTOR_WALK_FILE)).join(', ');
    throw new UsageError(
      `doctor needs ${DOCTOR_WALK_FILE} (the journeys' read-only walk); looked for ${looked}`,
    );
  }
  // The walk is TypeScript importing 'journey-prober', as journey files are.
  await ensureJourneyLoading();
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  const walks = Array.isArray(module.default) ? (module.default as unknown[]) : [module.default];
  if (walks.length === 0 || !walks.every(isJourney)) {
    throw new UsageError(`${file}: the default export must be a list of journeys (defineJourney)`);
  }
  return walks;
}

function human(results: readonly RunResult[], findings: readonly LocatorFinding[]): string {
  const lines: string[] = [];
  const width = Math.max(0, ...findings.map((f) => f.name.length));
  let page = '';
  for (const f of findings) {
    if (f.page !== page) lines.push(`${(page = f.page)}`);
    lines.push(`  ${f.name.padEnd(width)}  ${f.status}${f.guess ? '  (a guess of the flows file)' : ''}`);
  }
  for (const r of results) {
    const why = r.failure ? `: ${r.failure.step}: ${r.failure.class}: ${r.failure.message}` : '';
    lines.push(`walk ${r.journey}: ${r.outcome}${why}`);
  }
  const missing = findings.filter((f) => f.status === 'missing').length;
  const ambiguous = findings.filter((f) => f.status === 'ambiguous').length;
  lines.push(`${findings.length} locators: ${missing} missing, ${ambiguous} ambiguous`);
  return `${lines.map(stripAnsi).join('\n')}\n`;
}

/**
 * `journey-prober doctor`: first contact with a target, read-only. Runs the journeys'
 * walk (sign in, every page up to a loaded payment form, never submitting a card or
 * confirming) through the same runner as every run, and reports each page object's
 * locators as found / missing / ambiguous on the page it was looked for on. Exit 1 when a
 * locator is missing or a walk could not reach its pages.
 */
export async function doctorCommand(
  options: DoctorOptions,
  config: LoadedConfig,
  io: CommandIO,
): Promise<number> {
  const walks = await loadWalks(config);
  const spec = resolveTargetSpec(config, options.target, undefined);
  checkSecrets(spec, walks, io.env);
  const browser = createBrowserPool({ ...config.browser, recycleAfterRuns: 0 }, io.env, io.log);
  const live = await bringUp(spec, io.secrets, io.log, io.env);
  const results: RunResult[] = [];
  try {
    for (const walk of walks) {
      if (io.signal.aborted) break;
      // No artifacts dir: doctor writes nothing; no retries: what it meets is the answer.
      results.push(
        await runJourney(walk, live.target, {
          browser,
          accounts: live.accounts,
          log: io.log,
          signal: io.signal,
        }),
      );
    }
  } finally {
    await browser.close();
    await live.close();
  }
  const findings = results.flatMap(findingsOf);
  const ok = findings.every((f) => f.status !== 'missing') && results.every((r) => r.outcome === 'success');
  if (options.json) {
    const walksOut = results.map((r) => ({
      walk: r.journey,
      outcome: r.outcome,
      ...(r.failure ? { failure: r.failure } : {}),
    }));
    io.stdout.write(`${JSON.stringify({ target: spec.name, ok, locators: findings, walks: walksOut })}\n`);
  } else io.stdout.write(human(results, findings));
  return ok ? 0 : 1;
}
