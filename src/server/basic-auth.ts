import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Credentials the status page, `/api/runs` and `/artifacts/` require (config `statusAuth`). */
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

  /** true when the request carries the right credentials. Both parts are always compared. */
  allows(req: IncomingMessage): boolean {
    const given = parseBasicAuth(req.headers.authorization);
    const userOk = constantTimeEqual(given?.user ?? '', this.#username);
    const passwordOk = constantTimeEqual(given?.password ?? '', this.#password);
    return given !== undefined && userOk && passwordOk;
  }

  /** Answers 401 with a challenge and returns false when the request is not allowed. */
  guard(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.allows(req)) return true;
    const body = `${JSON.stringify({ error: 'authentication required' })}\n`;
    res.writeHead(401, {
      'www-authenticate': `Basic realm="${AUTH_REALM}", charset="UTF-8"`,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return false;
  }

  toJSON(): { username: string } {
    return { username: this.#username };
  }
}
