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
  ) {
    super(`${source}: ${problems.join('; ')}`);
  }
}

/** A secret named by the configuration is not set. */
export class MissingSecretError extends UsageError {
  override readonly name = 'MissingSecretError';
}
