import pino, { type Logger, type LevelWithSilent } from 'pino';
import { REDACTED, Redactor, SHORT_NUMERIC } from './redact.js';

/**
 * The root logger. Every line is scrubbed of the secrets this process knows through the
 * one redaction mechanism (`redact.ts`, re-exported here for its many users).
 */
export { cardSecrets, MIN_COOKIE_SECRET_LENGTH, REDACTED, Redactor, secretVariants } from './redact.js';

/**
 * Secret values known to this process (passwords from the environment, fresh sandbox
 * accounts). Every log line is scrubbed of them, in every form the Redactor knows, whatever
 * field or message they hide in.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();
  #redactor: Redactor | undefined;

  add(value: string): void {
    // Very short values would redact ordinary words (short digits only as whole values, see
    // SHORT_NUMERIC); they are still kept out of structured fields.
    if ((value.length < 4 && !SHORT_NUMERIC.test(value)) || this.#values.has(value)) return;
    this.#values.add(value);
    this.#redactor = undefined;
  }

  get values(): readonly string[] {
    return [...this.#values];
  }

  scrub(text: string): string {
    this.#redactor ??= new Redactor(this.#values);
    return this.#redactor.redact(text);
  }
}

/** Field paths never logged, whatever their value. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'account.password',
  'headers.cookie',
  'headers.authorization',
  '*.headers.cookie',
  '*.headers.authorization',
  'cookie',
  'cookies',
];

export interface LoggerOptions {
  readonly level?: LevelWithSilent;
  /** Human-readable lines (a terminal) instead of JSON. */
  readonly pretty?: boolean;
  /** Colour in the human-readable lines (NO_COLOR / FORCE_COLOR, decided by the CLI); default on. */
  readonly color?: boolean;
  /** File descriptor to write to: 1 stdout, 2 stderr. */
  readonly fd?: 1 | 2;
  readonly secrets?: SecretRegistry;
}

/** The root logger: JSON lines, redacted by path and by value. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? new SecretRegistry();
  const fd = options.fd ?? 1;
  const destination = options.pretty
    ? pino.transport({
        target: 'pino-pretty',
        options: {
          destination: fd,
          colorize: options.color ?? true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname',
          // One line each: the fields follow the message instead of a key/value block under it.
          singleLine: true,
        },
      })
    : pino.destination({ fd, sync: fd === 2 });
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: {
        streamWrite: (line) => secrets.scrub(line),
      },
    },
    destination,
  );
}

export function isLevel(value: string): value is LevelWithSilent {
  return ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(value);
}
