import pino, { type Logger, type LevelWithSilent } from 'pino';

const REDACTED = '[redacted]';

/**
 * Secret values known to this process (passwords from the environment, fresh sandbox
 * accounts). Every log line is scrubbed of them, whatever field or message they hide in.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();

  add(value: string): void {
    // Very short values would redact ordinary words; they are still kept out of structured fields.
    if (value.length >= 4) this.#values.add(value);
  }

  get values(): readonly string[] {
    return [...this.#values];
  }

  scrub(text: string): string {
    let out = text;
    for (const value of this.#values) {
      for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
        if (out.includes(form)) out = out.split(form).join(REDACTED);
      }
    }
    return out;
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
        options: { destination: fd, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
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
