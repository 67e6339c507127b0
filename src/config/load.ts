import { readFileSync } from 'node:fs';
import { extname, resolve, dirname, isAbsolute } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { BUILT_IN_JOURNEYS_DIR, type JourneySource } from '../journey/loader.js';
import { ConfigError, type ConfigSalvage } from './errors.js';
import { configSchema, scheduleConfig, type ParsedConfig } from './schema.js';
import { targetConfig, targetName } from './target-schema.js';
import { BUILT_IN_TARGETS } from './targets.js';

/** Names of the config files looked for in the working directory when none is given. */
export const DEFAULT_CONFIG_FILES = [
  'journey-prober.config.yaml',
  'journey-prober.config.yml',
  'journey-prober.config.json',
];

/** A loaded configuration: parsed once, every problem collected, then frozen. */
export interface LoadedConfig extends ParsedConfig {
  /** Where it came from: a file path, or `defaults`. */
  readonly source: string;
  /** The project's journeys directory, absolute (`journeys` beside the config when not set). */
  readonly journeysDir: string;
  /** Where journeys are loaded from, first wins a name (docs/journeys.md "Where journeys come from"). */
  readonly journeySources: readonly JourneySource[];
}

/** The project's directory, then the package's own journeys unless replaced. */
function journeySources(
  config: { readonly journeysDir?: string | undefined; readonly builtInJourneys?: boolean | undefined },
  journeysDir: string,
): JourneySource[] {
  const builtIn = config.builtInJourneys ?? config.journeysDir === undefined;
  return [
    // An explicit directory must exist; the default one is looked for.
    { dir: journeysDir, required: config.journeysDir !== undefined },
    ...(builtIn ? [{ dir: BUILT_IN_JOURNEYS_DIR, required: true, builtIn: true }] : []),
  ];
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${where === '' ? '' : `${where}: `}unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // One of several shapes: the branch that got furthest names the real problem.
    const inner = issue.errors.flat().sort((a, b) => b.path.length - a.path.length)[0];
    if (inner !== undefined && inner.path.length > 0) {
      return describeIssue({ ...inner, path: [...issue.path, ...inner.path] });
    }
    const expected = issue.errors.flatMap((branch) =>
      branch.map((i) => i.message.replace(/^Invalid input: /, '')),
    );
    return `${where === '' ? '(root)' : where}: Invalid input: ${[...new Set(expected)].join(', or ')}`;
  }
  if (issue.code === 'invalid_key') {
    return `${where}: invalid name: ${issue.issues.map((inner) => inner.message).join(', ')}`;
  }
  return `${where === '' ? '(root)' : where}: ${issue.message}`;
}

/** ` (journey "x")` for a problem inside `schedules[i]`, so a bad cron names the journey it schedules. */
function scheduleOf(raw: unknown, path: readonly PropertyKey[]): string {
  if (path[0] !== 'schedules' || typeof path[1] !== 'number' || path.length < 3) return '';
  const schedules = (raw as { schedules?: unknown } | null)?.schedules;
  const journey = Array.isArray(schedules)
    ? (schedules[path[1]] as { journey?: unknown } | undefined)?.journey
    : undefined;
  return typeof journey === 'string' ? ` (journey "${journey}")` : '';
}

const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * Problems that span fields, which the schema alone cannot see. Read from the raw input, so
 * they are found in the same pass as the schema's own problems (every problem at once).
 */
function crossCheck(raw: unknown): string[] {
  const problems: string[] = [];
  const configured = record(record(raw).targets);
  const targets = new Set([...Object.keys(BUILT_IN_TARGETS), ...Object.keys(configured)]);
  const schedules = record(raw).schedules;
  (Array.isArray(schedules) ? (schedules as unknown[]) : []).forEach((schedule, i) => {
    const target = record(schedule).target;
    if (typeof target === 'string' && !targets.has(target)) {
      problems.push(`schedules[${i}].target: unknown target "${target}" (known: ${[...targets].join(', ')})`);
    }
  });
  for (const [name, value] of Object.entries(configured)) {
    const target = record(value);
    if (target.baseUrl === undefined && !(name in BUILT_IN_TARGETS)) {
      problems.push(`targets.${name}.baseUrl: required for a target that is not built in`);
    }
    for (const [state, entry] of Object.entries(record(target.accounts))) {
      const account = record(entry);
      const hasEmail = account.email !== undefined || account.emailEnv !== undefined;
      const hasUsername = account.username !== undefined || account.usernameEnv !== undefined;
      // Who signs in: an email, or a GitLab.com username (what the portal's QA types).
      if ((account.email !== undefined && account.emailEnv !== undefined) || (!hasEmail && !hasUsername)) {
        problems.push(`targets.${name}.accounts.${state}: give exactly one of email or emailEnv`);
      }
      if (account.username !== undefined && account.usernameEnv !== undefined) {
        problems.push(`targets.${name}.accounts.${state}: give at most one of username or usernameEnv`);
      }
    }
  }
  return problems;
}

/** The parts of a config that failed its checks that passed them (ConfigSalvage), for the later checks. */
function salvageOf(raw: unknown, baseDir: string, problems: readonly string[]): ConfigSalvage | undefined {
  const input = record(raw);
  const dir = input.journeysDir;
  const builtIn = input.builtInJourneys;
  // Where the journeys are is not known: no later check can run.
  if (
    (dir !== undefined && typeof dir !== 'string') ||
    (builtIn !== undefined && typeof builtIn !== 'boolean')
  )
    return undefined;
  const journeysDir = dir === undefined ? undefined : isAbsolute(dir) ? dir : resolve(baseDir, dir);
  const named = Object.entries(record(input.targets));
  const targets = Object.fromEntries(
    named.flatMap(([name, value]) => {
      const target = targetConfig.safeParse(value);
      const failed = problems.some(
        (p) => p.startsWith(`targets.${name}.`) || p.startsWith(`targets.${name}:`),
      );
      return target.success && !failed && targetName.safeParse(name).success ? [[name, target.data]] : [];
    }),
  );
  const known = new Set([...Object.keys(BUILT_IN_TARGETS), ...named.map(([name]) => name)]);
  const defaults = configSchema.shape.defaults.safeParse(input.defaults);
  const statusAuth = configSchema.shape.statusAuth.safeParse(input.statusAuth);
  const schedules = input.schedules === undefined ? [] : input.schedules;
  if (!Array.isArray(schedules)) return undefined; // nothing to plan: `schedules` itself is malformed
  return {
    journeySources: journeySources(
      { journeysDir, builtInJourneys: builtIn },
      journeysDir ?? resolve(baseDir, 'journeys'),
    ),
    schedules: (schedules as unknown[]).map((schedule) => {
      const parsed = scheduleConfig.safeParse(schedule);
      if (parsed.success) return known.has(parsed.data.target) ? parsed.data : undefined;
      // A schedule that failed keeps its journey and target, when both are right, for the name checks.
      const { journey, target } = record(schedule);
      return typeof journey === 'string' && journey !== '' && typeof target === 'string' && known.has(target)
        ? { journey, target }
        : undefined;
    }),
    // Bad defaults were reported; the schedules are still checked, on the defaults' defaults.
    defaults: defaults.success ? defaults.data : configSchema.shape.defaults.parse(undefined),
    targets,
    broken: named.map(([name]) => name).filter((name) => !(name in targets)),
    ...(statusAuth.success && statusAuth.data !== undefined ? { statusAuth: statusAuth.data } : {}),
  };
}

/** Validates a configuration object from `unknown`; throws ConfigError listing every problem. */
export function parseConfig(raw: unknown, source: string, baseDir = process.cwd()): LoadedConfig {
  const result = configSchema.safeParse(raw ?? {});
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => describeIssue(issue) + scheduleOf(raw, issue.path))),
    ...crossCheck(raw ?? {}),
  ];
  if (!result.success || problems.length > 0)
    throw new ConfigError(source, problems, salvageOf(raw ?? {}, baseDir, problems));
  const config = result.data;
  const within = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  return deepFreeze({
    ...config,
    source,
    journeysDir: within(config.journeysDir ?? 'journeys'),
    journeySources: journeySources(config, within(config.journeysDir ?? 'journeys')),
    artifacts: { ...config.artifacts, dir: within(config.artifacts.dir) },
    results: { ...config.results, path: within(config.results.path) },
  });
}

function parseText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  try {
    return ext === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    // yaml's pretty errors end the first line with ":" before the excerpt they add.
    const first =
      error instanceof Error ? (error.message.split('\n')[0] ?? '').replace(/:$/, '') : String(error);
    // The parser ran out of stack: say what the file did, not what the parser did.
    const message = first.replace(/^Maximum call stack size exceeded/, 'nested too deeply');
    throw new ConfigError(file, [`not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${message}`]);
  }
}

/**
 * Loads the configuration: the file given, else PROBER_CONFIG, else a default file in the
 * working directory, else the defaults. Relative paths in a file are relative to the file.
 */
export function loadConfig(
  file?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): LoadedConfig {
  const chosen = file ?? env.PROBER_CONFIG;
  const candidates =
    chosen !== undefined ? [resolve(cwd, chosen)] : DEFAULT_CONFIG_FILES.map((f) => resolve(cwd, f));
  for (const path of candidates) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if (chosen === undefined) continue;
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(path, [
        code === 'ENOENT' ? 'config file not found' : `cannot read: ${code ?? String(error)}`,
      ]);
    }
    return parseConfig(parseText(text, path), path, dirname(path));
  }
  return parseConfig({}, 'defaults', cwd);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
