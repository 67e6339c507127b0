import { ConfigError, UsageError, unknownJourney } from '../config/errors.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { ParsedConfig, ScheduleConfig } from '../config/schema.js';
import { readSecret } from '../config/secrets.js';
import { targetSpecs, type TargetSpec } from '../config/targets.js';
import { paramProblems } from '../journey/define.js';
import { formatProblem, loadJourneys } from '../journey/loader.js';
import { seriesKey } from '../journey/outcomes.js';
import type { Journey } from '../journey/types.js';
import { accountKey, accountSecretNames } from '../accounts/provider.js';
import { cronMinIntervalMs } from './cron.js';
import { entriesOfShard, shardFromEnv, type Shard } from './shard.js';
import type { ScheduleEntry } from './types.js';

/** What `schedules: []` means: every journey on the sandbox, with the defaults. */
export const DEFAULT_SCHEDULES: ParsedConfig['schedules'] = [{ journey: '*', target: 'sandbox' }];

/** The schedules to plan; undefined where a schedule of the file could not be read at all (ConfigSalvage). */
type Schedules = Pick<ParsedConfig, 'defaults'> & {
  readonly schedules: readonly (ScheduleConfig | undefined)[];
  readonly source?: string;
};

/** What serve checks besides its schedules: the status page's password, read at start. */
type Checked = Schedules & Partial<Pick<ParsedConfig, 'statusAuth'>>;

interface Pending {
  readonly index: number;
  readonly explicit: boolean;
  readonly entry: ScheduleEntry;
}

/**
 * Turns the `schedules` of a config into one entry per journey × target. A schedule
 * naming a journey replaces a `*` schedule for that journey on the same target; two
 * schedules for the same pair at the same level, an unknown journey or target, or a cron
 * expression that never fires is a configuration error, all collected. Jitter is capped at
 * half the schedule's shortest interval. With a `shard`, only the entries whose account
 * (or journey x target, without one) hashes to that replica (shard.ts).
 */
export function planSchedules(
  config: Schedules,
  journeys: ReadonlyMap<string, Journey>,
  targets: ReadonlyMap<string, TargetSpec>,
  shard?: Shard,
): ScheduleEntry[] {
  const { entries, problems } = plan(config, journeys, targets);
  if (problems.length > 0) throw new ConfigError(config.source ?? 'config', problems);
  return entriesOfShard(entries, shard);
}

function plan(
  config: Schedules,
  journeys: ReadonlyMap<string, Journey>,
  targets: ReadonlyMap<string, TargetSpec>,
): { entries: ScheduleEntry[]; problems: string[] } {
  const schedules = config.schedules.length > 0 ? config.schedules : DEFAULT_SCHEDULES;
  const problems: string[] = [];
  const chosen = new Map<string, Pending>();
  schedules.forEach((schedule, index) => {
    if (schedule === undefined) return;
    const where = `schedules[${index}]`;
    const spec = targets.get(schedule.target);
    if (spec === undefined) {
      problems.push(
        `${where}.target: unknown target "${schedule.target}" (known: ${[...targets.keys()].join(', ')})`,
      );
      return;
    }
    const explicit = schedule.journey !== '*';
    const names = explicit ? [schedule.journey] : [...journeys.keys()];
    for (const name of names) {
      const journey = journeys.get(name);
      if (journey === undefined) {
        problems.push(`${where}.journey: ${unknownJourney(name, [...journeys.keys()])}`);
        continue;
      }
      const cronExpression = schedule.cron ?? config.defaults.cron;
      const timezone = schedule.timezone ?? config.defaults.timezone;
      let minIntervalMs: number;
      try {
        minIntervalMs = cronMinIntervalMs(cronExpression, timezone);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        problems.push(
          `${where} (journey "${name}" on "${spec.name}"): cron "${cronExpression}" cannot be scheduled: ${why}`,
        );
        continue;
      }
      const id = seriesKey({ journey: name, target: spec.name });
      const entry: ScheduleEntry = {
        id,
        journey,
        target: spec.name,
        cron: cronExpression,
        timezone,
        // Jitter spreads load within an interval; more than half of it would make every tick overlap.
        jitterMs: Math.min(schedule.jitterMs ?? config.defaults.jitterMs, Math.floor(minIntervalMs / 2)),
        runOnStart: schedule.runOnStart ?? config.defaults.runOnStart,
        accountKey: accountKey(journey, spec),
        minIntervalMs,
      };
      const earlier = chosen.get(id);
      if (earlier !== undefined && earlier.explicit === explicit) {
        problems.push(
          `${where}: journey "${name}" on target "${spec.name}" is already scheduled by schedules[${earlier.index}]`,
        );
        continue;
      }
      if (earlier === undefined || explicit) chosen.set(id, { index, explicit, entry });
    }
  });
  return { entries: [...chosen.values()].map((p) => p.entry), problems };
}

/** A check's UsageError as a problem (a missing secret), anything else thrown on. */
function problemOf(check: () => unknown): string[] {
  try {
    check();
    return [];
  } catch (error) {
    if (error instanceof UsageError) return [error.message];
    throw error;
  }
}

/**
 * What each target lacks for the journeys scheduled on it, all at once: the secrets its
 * accounts and card name, and the parameters the journeys declare. `skip`: targets that
 * failed their own checks (their problems are already reported).
 */
function targetProblems(
  entries: readonly ScheduleEntry[],
  targets: ReadonlyMap<string, TargetSpec>,
  env: NodeJS.ProcessEnv,
  skip: readonly string[] = [],
): string[] {
  const problems = new Set<string>();
  for (const [name, spec] of targets) {
    const journeys = entries.filter((e) => e.target === name).map((e) => e.journey);
    if (journeys.length === 0 || skip.includes(name)) continue;
    const card = spec.cardSource;
    const secrets = new Set([
      ...journeys.flatMap((journey) => accountSecretNames(spec, journey)),
      ...(card?.kind === 'env' && journeys.some((j) => j.cardSubmissions > 0)
        ? [card.env.numberEnv, card.env.cvvEnv]
        : []),
    ]);
    for (const secret of secrets)
      for (const p of problemOf(() => readSecret(secret, env))) problems.add(`target "${name}": ${p}`);
    for (const journey of journeys) for (const p of paramProblems(journey, spec)) problems.add(p);
  }
  return [...problems];
}

function statusAuthProblems(
  config: Partial<Pick<ParsedConfig, 'statusAuth'>>,
  env: NodeJS.ProcessEnv,
): string[] {
  const name = config.statusAuth?.passwordEnv;
  return name === undefined
    ? []
    : problemOf(() => readSecret(name, env)).map((p) => `statusAuth.passwordEnv: ${p}`);
}

/**
 * serve's schedules, checked before any browser starts with every problem at once: the
 * plan's (a ConfigError naming the file), then what each target lacks for them and the
 * status page's password. Only those last, as `run` gives them (one line, no file named).
 */
export function checkSchedules(
  config: Checked,
  journeys: ReadonlyMap<string, Journey>,
  targets: ReadonlyMap<string, TargetSpec>,
  env: NodeJS.ProcessEnv,
  shard?: Shard,
): ScheduleEntry[] {
  const planned = plan(config, journeys, targets);
  const entries = entriesOfShard(planned.entries, shard);
  const lacking = [...targetProblems(entries, targets, env), ...statusAuthProblems(config, env)];
  if (planned.problems.length > 0)
    throw new ConfigError(config.source ?? 'config', [...planned.problems, ...lacking]);
  if (lacking.length > 0) throw new UsageError(lacking.join('; '));
  return entries;
}

/**
 * `loadConfig` for `serve`: a file with problems also gets those of the later checks on
 * what of it could be read (ConfigSalvage): the schedules' plan (unknown journeys, twice
 * scheduled pairs) and each target's secrets and parameters, in the same one pass. A
 * check whose input failed is skipped.
 */
export async function loadServeConfig(
  file?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<LoadedConfig> {
  try {
    return loadConfig(file, env, cwd);
  } catch (error) {
    const salvage = error instanceof ConfigError ? error.salvage : undefined;
    if (!(error instanceof ConfigError) || salvage === undefined) throw error;
    const password = statusAuthProblems(salvage, env);
    const loaded = await loadJourneys(salvage.journeySources).catch(() => undefined);
    // A journeys directory that is not there: nothing to plan, the rest stands.
    if (loaded === undefined)
      throw password.length === 0 ? error : new ConfigError(error.source, [...error.problems, ...password]);
    const targets = targetSpecs({
      targets: { ...Object.fromEntries(salvage.broken.map((name) => [name, {}])), ...salvage.targets },
    });
    const planned = plan(salvage, loaded.journeys, targets);
    let shard: Shard | undefined;
    const shardProblems = problemOf(() => (shard = shardFromEnv(env)));
    const later = [
      ...loaded.problems.map((p) => formatProblem(p)),
      ...planned.problems,
      ...shardProblems,
      ...targetProblems(entriesOfShard(planned.entries, shard), targets, env, salvage.broken),
      ...password,
    ];
    throw later.length === 0 ? error : new ConfigError(error.source, [...error.problems, ...later]);
  }
}
