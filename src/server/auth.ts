import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ParsedConfig } from '../config/schema.js';
import { readSecret } from '../config/secrets.js';
import type { SecretRegistry } from '../log.js';
import type { ServerEnv } from './http.js';

/** Credentials the status page, `/api/runs`, `/artifacts/` and `/trace/` require (config `statusAuth`). */
export interface BasicAuthCredentials {
  readonly username: string;
  /** Read from the environment variable named by `statusAuth.passwordEnv`. */
  readonly password: string;
}

/** A basic-auth guard was given unusable credentials. */
export class BasicAuthConfigError extends Error {
  override readonly name = 'BasicAuthConfigError';
}

export const AUTH_REALM = 'journey-prober';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Equal in time independent of where the inputs differ (both hashed to the same length first). */
function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The user and password of an `Authorization: Basic …` header, or undefined when it is not one. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Checks requests against one username and password. */
export class BasicAuth {
  readonly #username: string;
  readonly #password: string;

  constructor(credentials: BasicAuthCredentials) {
    if (credentials.username === '' || credentials.username.includes(':')) {
      throw new BasicAuthConfigError('statusAuth.username must be non-empty and must not contain ":"');
    }
    if (credentials.password === '') throw new BasicAuthConfigError('statusAuth password is empty');
    this.#username = credentials.username;
    this.#password = credentials.password;
  }

  /** true when the `Authorization` header carries the right credentials. Both parts are always compared. */
  allows(authorization: string | undefined): boolean {
    const given = parseBasicAuth(authorization);
    const userOk = constantTimeEqual(given?.user ?? '', this.#username);
    const passwordOk = constantTimeEqual(given?.password ?? '', this.#password);
    return given !== undefined && userOk && passwordOk;
  }

  /** The 401 answer with its challenge (no body for HEAD). */
  challenge(method: string): Response {
    const body = `${JSON.stringify({ error: 'authentication required' })}\n`;
    return new Response(method === 'HEAD' ? null : body, {
      status: 401,
      headers: {
        'www-authenticate': `Basic realm="${AUTH_REALM}", charset="UTF-8"`,
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  }

  /** Hono middleware: the request goes on only with the right credentials. */
  middleware(): MiddlewareHandler<ServerEnv> {
    return async (c, next) => {
      if (!this.allows(c.req.header('authorization'))) return this.challenge(c.req.method);
      await next();
    };
  }

  toJSON(): { username: string } {
    return { username: this.#username };
  }
}

/**
 * The basic auth of `statusAuth`, when configured: the password is read from its
 * environment variable (MissingSecretError, exit 2, when unset) and added to the log
 * redaction before anything could log it.
 */
export function statusAuth(
  config: Pick<ParsedConfig, 'statusAuth'>,
  env: NodeJS.ProcessEnv,
  secrets: SecretRegistry,
): BasicAuth | undefined {
  if (config.statusAuth === undefined) return undefined;
  const password = readSecret(config.statusAuth.passwordEnv, env);
  secrets.add(password);
  return new BasicAuth({ username: config.statusAuth.username, password });
}
