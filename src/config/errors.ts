import type { JourneySource } from '../journey/loader.js';
import type { ParsedConfig, ScheduleConfig, TargetConfig } from './schema.js';

/**
 * What the later checks of a config that failed its own can still read: the parts that
 * passed. A schedule that failed keeps its journey and target when those two are right;
 * a target that failed is known by name only (`broken`), so schedules naming it are not
 * "unknown", and its parameters and secrets are not checked.
 */
export interface ConfigSalvage {
  readonly journeySources: readonly JourneySource[];
  /** By index in the file; undefined where not even the journey and target could be read. */
  readonly schedules: readonly (ScheduleConfig | undefined)[];
  readonly defaults: ParsedConfig['defaults'];
  readonly targets: Readonly<Record<string, TargetConfig>>;
  readonly broken: readonly string[];
  readonly statusAuth?: ParsedConfig['statusAuth'];
}

/** A usage or configuration problem: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/** Every problem found in a configuration, collected before reporting. */
export class ConfigError extends UsageError {
  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
    /** What the later checks (serve's schedules, targets) can still read, to report their problems with these. */
    readonly salvage?: ConfigSalvage,
  ) {
    super(`${source}: ${problems.join('; ')}`);
  }
}

/** `unknown journey "x" (known: a, b)`: the one wording, wherever a name is checked. */
export function unknownJourney(name: string, known: readonly string[]): string {
  return `unknown journey "${name}" (known: ${known.length > 0 ? known.join(', ') : 'none'})`;
}

/** A secret named by the configuration is not set. */
export class MissingSecretError extends UsageError {
  override readonly name = 'MissingSecretError';
}
