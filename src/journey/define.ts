import { ACCOUNT_STATES, type Journey, type JourneyDefinition, type ParamSpecs } from './types.js';

/** At most this many distinct step names per journey: each is a metric label value. */
export const MAX_STEP_NAMES = 20;
/** Journey names are metric labels, URL segments and directory names: bounded (DESIGN.md). */
export const MAX_NAME_LENGTH = 64;
const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Marks what defineJourney returned; a global symbol, so two copies of this module agree. */
const BRAND = Symbol.for('journey-prober.journey');

/** Whether a value is a journey made by defineJourney (what a journey file must export). */
export function isJourney(value: unknown): value is Journey {
  return typeof value === 'object' && value !== null && BRAND in value;
}

/** A journey definition that breaks a rule of the authoring API. */
export class JourneyDefinitionError extends Error {
  override readonly name = 'JourneyDefinitionError';
}

function positive(value: number | undefined, fallback: number, field: string, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new JourneyDefinitionError(`journey "${name}": ${field} must be a positive number of milliseconds`);
  }
  return value;
}

/**
 * Declares a journey: the default export of every `journeys/*.journey.ts` file.
 * Checks the definition eagerly, so a bad journey fails at load time with its name.
 * The names in `steps` type `step()`: `step('sign-in')` where `steps` says `'sign in'` does
 * not compile.
 */
export function defineJourney<const S extends string = string>(definition: JourneyDefinition<S>): Journey {
  const name: unknown = definition?.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    const shown = typeof name === 'string' && name.length > 80 ? `${name.slice(0, 80)}…` : name;
    throw new JourneyDefinitionError(
      `journey name ${JSON.stringify(shown)} must be kebab-case (a-z, 0-9, -)`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new JourneyDefinitionError(
      `journey name "${name.slice(0, 40)}…" is ${name.length} characters, at most ${MAX_NAME_LENGTH} are allowed`,
    );
  }
  if (typeof definition.run !== 'function') {
    throw new JourneyDefinitionError(`journey "${name}": run must be an async function`);
  }
  if (typeof definition.description !== 'string' || definition.description.trim() === '') {
    throw new JourneyDefinitionError(`journey "${name}": description is required`);
  }
  const steps = definition.steps;
  if (steps !== undefined) {
    if (new Set(steps).size !== steps.length) {
      throw new JourneyDefinitionError(`journey "${name}": steps has duplicate names`);
    }
    if (steps.length > MAX_STEP_NAMES) {
      throw new JourneyDefinitionError(
        `journey "${name}": ${steps.length} step names, at most ${MAX_STEP_NAMES} are allowed (each is a metric label)`,
      );
    }
  }
  const accountState = definition.accountState ?? 'active';
  if (!ACCOUNT_STATES.includes(accountState)) {
    throw new JourneyDefinitionError(
      `journey "${name}": accountState must be one of ${ACCOUNT_STATES.join(', ')}`,
    );
  }
  const cardSubmissions = definition.cardSubmissions ?? 0;
  if (!Number.isInteger(cardSubmissions) || cardSubmissions < 0) {
    throw new JourneyDefinitionError(`journey "${name}": cardSubmissions must be a whole number, 0 or more`);
  }
  const params = checkParamSpecs(definition.params, name);
  const timeoutMs = positive(definition.timeoutMs, 120_000, 'timeoutMs', name);
  // Widened to every step name: the runner's step() accepts any string it is given.
  const general = definition as JourneyDefinition;
  return Object.freeze({
    ...general,
    [BRAND]: true,
    tags: Object.freeze([...(definition.tags ?? [])]),
    timeoutMs,
    stepTimeoutMs: Math.min(positive(definition.stepTimeoutMs, 30_000, 'stepTimeoutMs', name), timeoutMs),
    latencyBudgetMs:
      definition.latencyBudgetMs === undefined
        ? undefined
        : positive(definition.latencyBudgetMs, 0, 'latencyBudgetMs', name),
    mutates: definition.mutates ?? false,
    accountState,
    cardSubmissions,
    steps: steps === undefined ? undefined : Object.freeze([...steps]),
    params,
  });
}

const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkParamSpecs(specs: ParamSpecs | undefined, journey: string): ParamSpecs | undefined {
  if (specs === undefined) return undefined;
  const bad = (key: string, why: string) =>
    new JourneyDefinitionError(`journey "${journey}": param "${key}" ${why}`);
  for (const [key, spec] of Object.entries(specs)) {
    if (!PARAM_NAME.test(key)) throw bad(key, 'must be a name of letters, digits and _');
    if (spec.type === 'text') {
      if (spec.default !== undefined && typeof spec.default !== 'string')
        throw bad(key, 'default must be text');
      continue;
    }
    if (spec.type !== 'int') throw bad(key, 'type must be "text" or "int"');
    if (!Number.isSafeInteger(spec.min) || !Number.isSafeInteger(spec.max) || spec.min > spec.max)
      throw bad(key, 'needs whole numbers min <= max');
    if (
      spec.default !== undefined &&
      !(Number.isSafeInteger(spec.default) && spec.default >= spec.min && spec.default <= spec.max)
    )
      throw bad(key, `default must be a whole number from ${spec.min} to ${spec.max}`);
  }
  return Object.freeze(
    Object.fromEntries(Object.entries(specs).map(([k, v]) => [k, Object.freeze({ ...v })])),
  );
}

/**
 * What is wrong with a target's params for a journey that declares the ones it reads: a
 * required one missing or blank, a whole number that is not one or out of its range. One
 * line each, naming the target and the parameter; empty when the target has what it needs.
 */
export function paramProblems(
  journey: Pick<Journey, 'name' | 'params'>,
  target: { readonly name: string; readonly params: Readonly<Record<string, string>> },
): string[] {
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(journey.params ?? {})) {
    const raw = target.params[key];
    if (raw === undefined || raw.trim() === '') {
      if (spec.default === undefined && spec.optional !== true)
        problems.push(
          `target "${target.name}": journey "${journey.name}" needs param "${key}" (set targets.${target.name}.params.${key})`,
        );
      continue;
    }
    if (spec.type !== 'int') continue;
    const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max)
      problems.push(
        `target "${target.name}": param "${key}" of journey "${journey.name}" must be a whole number from ${spec.min} to ${spec.max}, got ${JSON.stringify(raw)}`,
      );
  }
  return problems;
}
