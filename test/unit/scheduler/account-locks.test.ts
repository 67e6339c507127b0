import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountLocks, type AcquireResult } from '../../../src/scheduler/account-locks.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const never = new AbortController().signal;

describe('AccountLocks', () => {
  it('hands the lock to waiters first come, first served', async () => {
    const locks = new AccountLocks();
    const first = await locks.acquire('k', 1_000, never);
    const order: string[] = [];
    const second = locks.acquire('k', 10_000, never).then((r) => (order.push('second'), r));
    const third = locks.acquire('k', 10_000, never).then((r) => (order.push('third'), r));
    expect(first.kind).toBe('acquired');
    if (first.kind === 'acquired') first.release();
    const s = await second;
    expect(order).toEqual(['second']);
    if (s.kind === 'acquired') {
      s.release();
      s.release(); // twice is harmless: it must not free the lock third holds
    }
    const t = await third;
    expect(t.kind).toBe('acquired');
    expect(locks.isHeld('k')).toBe(true);
    if (t.kind === 'acquired') t.release();
    expect(locks.isHeld('k')).toBe(false);
  });

  it('gives up after the wait bound, and the lock stays with its holder', async () => {
    const locks = new AccountLocks();
    await locks.acquire('k', 1_000, never);
    let result: AcquireResult | undefined;
    void locks.acquire('k', 5_000, never).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ kind: 'busy' });
    expect(locks.isHeld('k')).toBe(true);
  });

  it('cancels a wait on abort', async () => {
    const locks = new AccountLocks();
    await locks.acquire('k', 1_000, never);
    const abort = new AbortController();
    const waiting = locks.acquire('k', 60_000, abort.signal);
    abort.abort();
    await expect(waiting).resolves.toEqual({ kind: 'cancelled' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps different accounts apart', async () => {
    const locks = new AccountLocks();
    expect((await locks.acquire('a', 0, never)).kind).toBe('acquired');
    expect((await locks.acquire('b', 0, never)).kind).toBe('acquired');
  });
});
