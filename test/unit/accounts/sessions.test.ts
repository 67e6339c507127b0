import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { GroupPool } from '../../../src/accounts/group-pool.js';
import { SessionFileError, SessionStore } from '../../../src/accounts/sessions.js';
import type { StorageState } from '../../../src/journey/types.js';
import { SecretRegistry } from '../../../src/log.js';

const state = (value: string): StorageState => ({
  cookies: [
    {
      name: '_customers_session',
      value,
      domain: '127.0.0.1',
      path: '/',
      expires: -1,
      httpOnly: true,
      secure: false,
      sameSite: 'Lax',
    },
  ],
  origins: [],
});

describe('session store', () => {
  it('keeps a session per account after a fresh sign-in and hands it to the next run', () => {
    const secrets = new SecretRegistry();
    const store = SessionStore.inMemory(secrets);
    const first = store.handle('staging:prober');
    expect(first.restored).toBeUndefined();
    first.signedIn(state('cookie-value-123456'));
    expect(first.signIns).toEqual({ success: 1, failure: 0 });
    const second = store.handle('staging:prober');
    expect(second.restored?.cookies[0]?.value).toBe('cookie-value-123456');
    expect(second.signIns).toEqual({ success: 0, failure: 0 });
    expect(store.handle('staging:other').restored).toBeUndefined();
    // The cookie is a secret: log lines are scrubbed of it.
    expect(secrets.scrub('Cookie: _customers_session=cookie-value-123456')).toBe(
      'Cookie: _customers_session=[redacted]',
    );
  });

  it('forgets an expired session and counts a refused sign-in', () => {
    const store = SessionStore.inMemory();
    store.handle('k').signedIn(state('aaaaaaaaaaaa'));
    store.handle('k').expired();
    expect(store.handle('k').restored).toBeUndefined();
    const run = store.handle('k');
    run.signInFailed();
    expect(run.signIns).toEqual({ success: 0, failure: 1 });
  });

  it('keeps nothing when none is asked for, but still counts sign-ins', () => {
    const store = SessionStore.none();
    const run = store.handle('k');
    run.signedIn(state('bbbbbbbbbbbb'));
    expect(run.signIns.success).toBe(1);
    expect(store.handle('k').restored).toBeUndefined();
  });

  it('writes a session file readable by its owner only, and reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessions-'));
    const file = join(dir, 'sessions.json');
    SessionStore.fromFile(file).handle('k').signedIn(state('cccccccccccc'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('k');
    expect(SessionStore.fromFile(file).handle('k').restored?.cookies[0]?.value).toBe('cccccccccccc');
  });

  it('names a session file it cannot use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessions-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{not json');
    expect(() => SessionStore.fromFile(bad)).toThrow(SessionFileError);
    expect(() => SessionStore.fromFile(bad)).toThrow(/^session file .*bad\.json cannot be read: /);
    writeFileSync(bad, JSON.stringify({ k: { cookies: 'x' } }));
    expect(() => SessionStore.fromFile(bad)).toThrow(
      `session file ${bad}: "k" is not a Playwright storageState`,
    );
  });
});

describe('group pool', () => {
  it('lends each free group to one run at a time and takes it back, least recently used first', () => {
    const pool = new GroupPool(['11', '12']);
    const a = pool.take()!;
    const b = pool.take()!;
    expect([a.groupId, b.groupId]).toEqual(['11', '12']);
    expect(pool.take()).toBeUndefined();
    a.release();
    a.release();
    expect(pool.free).toEqual(['11']);
    b.release();
    expect(pool.take()?.groupId).toBe('11');
  });

  it('takes back a group a run never gave back, after the longest a run may hold it', () => {
    vi.useFakeTimers();
    try {
      const pool = new GroupPool(['7']);
      pool.take(1_000);
      expect(pool.take()).toBeUndefined();
      vi.advanceTimersByTime(1_000);
      expect(pool.free).toEqual(['7']);
    } finally {
      vi.useRealTimers();
    }
  });
});
