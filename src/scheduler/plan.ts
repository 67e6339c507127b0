import { ConfigError, unknownJourney } from '../config/errors.js';
import type { ParsedConfig } from '../config/schema.js';
import type { TargetSpec } from '../config/targets.js';
import { seriesKey } from '../journey/outcomes.js';
import type { Journey } from '../journey/types.js';
import { accountKey } from '../accounts/provider.js';
import { cronMinIntervalMs } from './cron.js';
import { entriesOfShard, type Shard } from './shard.js';
import type { ScheduleEntry } from './types.js';

/** What `schedules: []` means: every journey on the sandbox, with the defaults. */
export const DEFAULT_SCHEDULES: ParsedConfig['schedules'] = [{ journey: '*', target: 'sandbox' }];

type Schedules = Pick<ParsedConfig, 'schedules' | 'defaults'> & { readonly source?: string };

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
  const schedules = config.schedules.length > 0 ? config.schedules : DEFAULT_SCHEDULES;
  const problems: string[] = [];
  const chosen = new Map<string, Pending>();
  schedules.forEach((schedule, index) => {
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
  if (problems.length > 0) throw new ConfigError(config.source ?? 'config', problems);
  return entriesOfShard(
    [...chosen.values()].map((p) => p.entry),
    shard,
  );
}
