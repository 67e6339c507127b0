import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MissingSecretError } from './errors.js';

/** Environment variable names: where secrets come from (never the secret itself). */
export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/**
 * Reads a secret from the environment: `NAME`, else the file named by `NAME_FILE` (container
 * secrets are mounted as files). A trailing newline in the file is not part of the secret.
 */
export function readSecret(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const direct = env[name];
  if (direct !== undefined && direct !== '') return direct;
  const file = env[`${name}_FILE`];
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new MissingSecretError(`secret ${name}: cannot read ${name}_FILE (${code})`);
    }
    const value = text.replace(/\r?\n$/, '');
    if (value === '') throw new MissingSecretError(`secret ${name}: the file named by ${name}_FILE is empty`);
    return value;
  }
  throw new MissingSecretError(`secret ${name} is not set (set ${name} or ${name}_FILE)`);
}

/** Where a target's payment card comes from: two secrets, like an account's password. */
export const cardConfig = z.strictObject({
  numberEnv: envName.describe(
    'Environment variable holding the card number (or NAME_FILE naming a file with it).',
  ),
  cvvEnv: envName.describe('Environment variable holding the card security code (or NAME_FILE).'),
});
export type CardConfig = z.output<typeof cardConfig>;

/** Target params that are secrets: refused in `params`, with where they go now. */
const SECRET_PARAMS: Readonly<Record<string, string>> = {
  cardNumber: 'card.numberEnv',
  cardCvv: 'card.cvvEnv',
};

/** A target's plain params: strings, and never one of the secret ones. */
export const plainParams = z.record(z.string(), z.string()).superRefine((params, ctx) => {
  for (const key of Object.keys(params)) {
    const instead = SECRET_PARAMS[key];
    if (instead === undefined) continue;
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: `a secret, not a param: name the environment variable holding it in the target's ${instead} (docs/configuration.md "Card")`,
    });
  }
});

/** The payment card a journey types: both values secrets. */
export interface CardSecretValues {
  readonly number: string;
  readonly cvv: string;
}

/**
 * The sandbox's accepted test card (docs/sandbox.md): what a target with sandbox accounts
 * types when its config names no card. Public, and still handled as a secret.
 */
export const SANDBOX_TEST_CARD: CardSecretValues = Object.freeze({
  number: '4111 1111 1111 1111',
  cvv: '123',
});

/** The card a config names, read now: a missing variable or file is a one-line usage error. */
export function readCard(config: CardConfig, env: NodeJS.ProcessEnv = process.env): CardSecretValues {
  return { number: readSecret(config.numberEnv, env), cvv: readSecret(config.cvvEnv, env) };
}
