import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AccountSession, StorageState } from '../journey/types.js';
import type { SecretRegistry } from '../log.js';

/** Sessions kept at most (one per account): the oldest is dropped beyond it. */
const MAX_SESSIONS = 200;

/** A session file that cannot be read back: named, with what is wrong. */
export class SessionFileError extends Error {
  override readonly name = 'SessionFileError';
}

function isStorageState(value: unknown): value is StorageState {
  if (typeof value !== 'object' || value === null) return false;
  const { cookies, origins } = value as { cookies?: unknown; origins?: unknown };
  return Array.isArray(cookies) && Array.isArray(origins);
}

/**
 * Signed-in sessions (Playwright `storageState`) by target and account, so an account signs
 * in once and its later runs reuse the session until the portal or GitLab.com says it
 * expired — what keeps a 5-minute schedule from looking like an attack on the sign-in.
 * `serve` keeps one in memory for its lifetime; `run` keeps one only when asked, in a file
 * written 0600. Every cookie and storage value is registered as a secret, so log lines are
 * scrubbed of it (the runner scrubs the context's cookies from traces and artifacts).
 */
export class SessionStore {
  readonly #sessions = new Map<string, StorageState>();
  readonly #keep: boolean;
  readonly #file: string | undefined;
  readonly #secrets: SecretRegistry | undefined;

  private constructor(keep: boolean, file: string | undefined, secrets: SecretRegistry | undefined) {
    this.#keep = keep;
    this.#file = file;
    this.#secrets = secrets;
  }

  /** Sessions kept in memory, for the life of the process (`serve`). */
  static inMemory(secrets?: SecretRegistry): SessionStore {
    return new SessionStore(true, undefined, secrets);
  }

  /** Nothing kept: every run signs in (and is counted). */
  static none(): SessionStore {
    return new SessionStore(false, undefined, undefined);
  }

  /** Sessions kept in `file` (created 0600 when absent), read now: `run --session-file`. */
  static fromFile(file: string, secrets?: SecretRegistry): SessionStore {
    const store = new SessionStore(true, file, secrets);
    if (!existsSync(file)) return store;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new SessionFileError(`session file ${file} cannot be read: ${why}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SessionFileError(`session file ${file} is not a JSON object of sessions`);
    }
    for (const [key, state] of Object.entries(parsed)) {
      if (!isStorageState(state)) {
        throw new SessionFileError(`session file ${file}: "${key}" is not a Playwright storageState`);
      }
      store.#remember(key, state);
    }
    return store;
  }

  get size(): number {
    return this.#sessions.size;
  }

  get(key: string): StorageState | undefined {
    return this.#keep ? this.#sessions.get(key) : undefined;
  }

  set(key: string, state: StorageState): void {
    if (!this.#keep) return;
    this.#remember(key, state);
    this.#save();
  }

  delete(key: string): void {
    if (this.#sessions.delete(key)) this.#save();
  }

  /** One run's view of the account's session: what it starts with, and its sign-ins. */
  handle(key: string): AccountSession {
    const signIns = { success: 0, failure: 0 };
    return {
      restored: this.get(key),
      signIns,
      signedIn: (state) => {
        signIns.success++;
        this.set(key, state);
      },
      signInFailed: () => {
        signIns.failure++;
        this.delete(key);
      },
      expired: () => this.delete(key),
    };
  }

  #remember(key: string, state: StorageState): void {
    for (const cookie of state.cookies) this.#secrets?.add(cookie.value);
    for (const origin of state.origins)
      for (const item of origin.localStorage) this.#secrets?.add(item.value);
    this.#sessions.delete(key);
    this.#sessions.set(key, state);
    while (this.#sessions.size > MAX_SESSIONS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
  }

  /** Written whole to a 0600 temporary file, then renamed: never a half-written session file. */
  #save(): void {
    if (this.#file === undefined) return;
    const tmp = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.#sessions)), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.#file);
  }
}
