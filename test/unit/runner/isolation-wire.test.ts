import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/journey/secret.js';
import type { Account, StorageState } from '../../../src/journey/types.js';
import { callAccount, fromWire, toWire, type AccountCall } from '../../../src/runner/isolation-wire.js';

const state: StorageState = { cookies: [], origins: [] };

function providerAccount(calls: string[]): Account {
  const signIns = { success: 0, failure: 0 };
  return {
    email: 'probe@example.com',
    username: 'probe',
    password: new Secret('hunter2-password'),
    otpSecret: new Secret('JBSWY3DPEHPK3PXP'),
    groupId: '42',
    releaseGroup: () => void calls.push('releaseGroup'),
    session: {
      restored: state,
      signIns,
      signedIn: () => void calls.push('signedIn'),
      signInFailed: () => void calls.push('signInFailed'),
      expired: () => void calls.push('expired'),
    },
    cardBudget: { submitted: () => void calls.push('submitted'), exceededByProber: () => true },
  };
}

describe('isolation wire: an account crosses to a journey worker and its calls come back', () => {
  it('keeps every field, makes Secrets again, and collects the secrets for redaction', () => {
    const secrets: string[] = [];
    const wire = toWire(7, providerAccount([]), secrets);
    expect(structuredClone(wire)).toEqual(wire);
    expect(secrets).toEqual(['probe@example.com', 'hunter2-password', 'probe', 'JBSWY3DPEHPK3PXP']);
    const account = fromWire(
      wire,
      () => undefined,
      () => false,
    );
    expect(account.email).toBe('probe@example.com');
    expect(account.password.reveal()).toBe('hunter2-password');
    expect(account.otpSecret?.reveal()).toBe('JBSWY3DPEHPK3PXP');
    expect(account.groupId).toBe('42');
    expect(account.session?.restored).toEqual(state);
    // In the worker the password is a Secret again: it never prints.
    expect(inspect(account)).not.toContain('hunter2-password');
    expect(JSON.stringify(account)).not.toContain('hunter2-password');
  });

  it("routes the worker's calls to the provider's account, and counts sign-ins on both sides", () => {
    const calls: string[] = [];
    const original = providerAccount(calls);
    const sent: { method: AccountCall['method']; state?: StorageState }[] = [];
    const account = fromWire(
      toWire(1, original, []),
      (method, s) => void sent.push({ method, ...(s === undefined ? {} : { state: s }) }),
      () => original.cardBudget!.exceededByProber(),
    );
    account.releaseGroup?.();
    account.session?.signedIn(state);
    account.session?.signInFailed();
    account.session?.expired();
    account.cardBudget?.submitted();
    expect(account.cardBudget?.exceededByProber()).toBe(true);
    expect(account.session?.signIns).toEqual({ success: 1, failure: 1 });
    for (const call of sent) callAccount(original, call.method, call.state);
    expect(calls).toEqual(['releaseGroup', 'signedIn', 'signInFailed', 'expired', 'submitted']);
  });

  it('a target without an account: the fields throw in the worker as they did in the provider', () => {
    const missing = {
      get email(): string {
        throw new Error('target "site" has no account configured');
      },
      get password(): Secret {
        throw new Error('target "site" has no account configured');
      },
    } as Account;
    const account = fromWire(
      toWire(2, missing, []),
      () => undefined,
      () => false,
    );
    expect(() => account.email).toThrow('target "site" has no account configured');
    expect(() => account.password).toThrow('has no account configured');
  });
});
