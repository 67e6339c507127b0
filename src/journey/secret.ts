const REDACTED = '[redacted]';
/** `util.inspect.custom`, by its registered name: the public types stay free of Node's. */
const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * A secret value that cannot leak by accident: it prints, serialises and inspects as
 * `[redacted]`. Code that needs the value calls `reveal()`, which is easy to grep for.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return REDACTED;
  }
}
