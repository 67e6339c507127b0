import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { PRODUCTION, type SloParams } from './params.js';
import { ParamsError } from './validate.js';
import { toYaml, type YamlValue } from './yaml.js';

/**
 * The operator's parameters file, in the Prometheus mixin convention of one config block:
 *
 * ```yaml
 * _config:
 *   objective: 0.999
 *   statusBaseUrl: https://journey-prober.example.com
 *   burnRate: [...]        # a list replaces the default list
 * ```
 *
 * Every key is optional and overrides the shipped default (src/rules/params.ts); a list
 * replaces the default list whole. Unknown keys and wrong types are errors, all collected.
 */
export const CONFIG_KEY = '_config';

/** Maps whose keys the operator chooses (journey names, label names). */
const FREE_KEYS = new Set(['journeys', 'alertLabels']);

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return isMap(value) ? 'a mapping' : `a ${typeof value}`;
}

/** `given` over `defaults`, checked against the defaults' shape. */
function merge(defaults: unknown, given: unknown, path: string, problems: string[]): unknown {
  if (isMap(defaults)) {
    if (!isMap(given)) {
      problems.push(`${path} must be a mapping, got ${kind(given)}`);
      return defaults;
    }
    const free = FREE_KEYS.has(path.replace(/^_config\./, ''));
    const merged: Record<string, unknown> = free ? {} : { ...defaults };
    for (const [key, value] of Object.entries(given)) {
      const sample = free ? (path.endsWith('journeys') ? { interval: '5m' } : '') : defaults[key];
      if (sample === undefined) problems.push(`${path}.${key} is not a parameter`);
      else if (free && isMap(sample)) merged[key] = mergeEntry(sample, value, `${path}.${key}`, problems);
      else merged[key] = merge(sample, value, `${path}.${key}`, problems);
    }
    return merged;
  }
  if (Array.isArray(defaults)) {
    if (!Array.isArray(given)) {
      problems.push(`${path} must be a list, got ${kind(given)}`);
      return defaults;
    }
    const sample: unknown = defaults[0] ?? '';
    return given.map((item, i) =>
      isMap(sample)
        ? mergeEntry(sample, item, `${path}[${i}]`, problems)
        : merge(sample, item, `${path}[${i}]`, problems),
    );
  }
  if (typeof given !== typeof defaults) {
    problems.push(`${path} must be a ${typeof defaults}, got ${kind(given)}`);
    return defaults;
  }
  return given;
}

/** A list item or a journey: every key of `sample` is required but `interval`, none other allowed. */
function mergeEntry(
  sample: Record<string, unknown>,
  given: unknown,
  path: string,
  problems: string[],
): unknown {
  if (!isMap(given)) {
    problems.push(`${path} must be a mapping, got ${kind(given)}`);
    return sample;
  }
  for (const key of Object.keys(sample))
    if (!(key in given) && key !== 'interval') problems.push(`${path}.${key} is missing`);
  const checked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    if (!(key in sample)) problems.push(`${path}.${key} is not a parameter`);
    else checked[key] = merge(sample[key], value, `${path}.${key}`, problems);
  }
  return checked;
}

/** The shipped defaults with `text` (a parameters file's content) over them; `source` names it in errors. */
export function paramsFromYaml(text: string, source: string, defaults: SloParams = PRODUCTION): SloParams {
  let document: unknown;
  try {
    document = parse(text) as unknown;
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ParamsError([`${source}: not YAML: ${why}`]);
  }
  if (document === null || document === undefined) return defaults;
  if (!isMap(document) || Object.keys(document).some((key) => key !== CONFIG_KEY)) {
    throw new ParamsError([`${source}: expected one mapping, "${CONFIG_KEY}:", holding the parameters`]);
  }
  const problems: string[] = [];
  const merged = merge(defaults, document[CONFIG_KEY] ?? {}, CONFIG_KEY, problems) as SloParams;
  if (problems.length > 0) throw new ParamsError(problems.map((p) => `${source}: ${p}`));
  return merged;
}

/** Reads a parameters file; a missing or unreadable file is a ParamsError naming it. */
export async function loadParamsFile(path: string): Promise<SloParams> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ParamsError([`cannot read parameters file ${path} (${code})`]);
  }
  return paramsFromYaml(text, path);
}

/** The parameters as a file an operator can copy and edit (the shipped defaults are generated so). */
export function paramsYaml(params: SloParams): string {
  const header =
    '# The alerting parameters the shipped rules are generated from (src/rules/params.ts).\n' +
    '# Generated by `npm run rules`; do not edit. Copy it, keep only what you change, and run\n' +
    '#   npm run rules -- --params your-params.yml --out DIR\n' +
    '# docs/slo.md explains every parameter.\n';
  return toYaml({ [CONFIG_KEY]: params as unknown as Json as YamlValue }, header);
}
