import type { JourneySource } from '../journey/loader.js';

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
    /** What the checks could still read of the schedules, to find unknown journeys with the rest. */
    readonly pending?: {
      readonly journeySources: readonly JourneySource[];
      readonly journeys: readonly { readonly index: number; readonly journey: string }[];
    },
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
