import { readFileSync } from 'node:fs';
import { MissingSecretError } from './errors.js';

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
