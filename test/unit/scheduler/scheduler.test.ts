import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Scheduler, type SchedulerOptions } from '../../../src/scheduler/scheduler.js';
import type { ScheduleEntry, SkipReason } from '../../../src/scheduler/types.js';
import { entry, heldExecutor } from './fixtures.js';

const clock = { now: () => Date.now(), monotonic: () => Date.now() };

function setup(entries: ScheduleEntry[], options: Partial<SchedulerOptions> = {}) {
  const held = heldExecutor();
  const skips: { id: string; reason: SkipReason }[] = [];
  const started: { id: string; at: number; delaySeconds: number }[] = [];
  const dropped: { id: string; reason: string }[] = [];
  const scheduler = new Scheduler({
    entries,
    concurrency: 4,
    execute: held.execute,
    clock,
    random: () => 0,
    events: {
      skipped: (e, reason) => skips.push({ id: e.id, reason }),
      started: (e, run) => started.push({ id: e.id, at: Date.now(), delaySeconds: run.delaySeconds }),
      dropped: (e, tick) => dropped.push({ id: e.id, reason: tick.reason }),
    },
    ...options,
  });
  return { scheduler, held, skips, started, dropped };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-01-05T10:00:00.000Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('jitter', () => {
  it.each([0, 0.5, 0.9999])('random %f delays the start into [0, jitterMs)', async (r) => {
    const { scheduler, started } = setup([entry('a', { jitterMs: 8_000 })], { random: () => r });
    const slot = Date.now();
    scheduler.tick('a@sandbox', slot);
    const expected = Math.floor(r * 8_000);
    if (expected > 0) {
      await vi.advanceTimersByTimeAsync(expected - 1);
      expect(started).toHaveLength(0);
    }
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toHaveLength(1);
    expect(started[0]!.at - slot).toBe(expected);
    expect(started[0]!.at - slot).toBeLessThan(8_000);
    // The delay metric leaves the deliberate jitter out.
    expect(started[0]!.delaySeconds).toBe(0);
  });

  it('uses a fresh random delay on every tick', async () => {
    const values = [0.1, 0.7];
    const { scheduler, held, started } = setup([entry('a', { jitterMs: 1_000 })], {
      random: () => values.shift() ?? 0,
    });
    scheduler.tick('a@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(1_000);
    held.runs[0]!.finish();
    await vi.advanceTimersByTimeAsync(9_000);
    scheduler.tick('a@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started.map((s) => (s.at - Date.parse('2026-01-05T10:00:00.000Z')) % 10_000)).toEqual([100, 700]);
  });
});

describe('overlap', () => {
  it('skips and counts a tick while the same schedule still runs, never piling up', async () => {
    const { scheduler, held, skips } = setup([entry('a')]);
    scheduler.tick('a@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(10_000);
      scheduler.tick('a@sandbox', Date.now());
    }
    expect(held.runs).toHaveLength(1);
    expect(scheduler.isBusy('a@sandbox')).toBe(true);
    expect(skips).toEqual([
      { id: 'a@sandbox', reason: 'overlap' },
      { id: 'a@sandbox', reason: 'overlap' },
      { id: 'a@sandbox', reason: 'overlap' },
    ]);
    held.runs[0]!.finish();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(scheduler.isBusy('a@sandbox')).toBe(false);
    scheduler.tick('a@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(held.runs).toHaveLength(2);
  });

  it('counts a tick during the jitter wait as an overlap too', async () => {
    const { scheduler, held, skips } = setup([entry('a', { jitterMs: 9_000, minIntervalMs: 1_000 })], {
      random: () => 0.99,
    });
    scheduler.tick('a@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(1_000);
    scheduler.tick('a@sandbox', Date.now());
    expect(skips.map((s) => s.reason)).toEqual(['overlap']);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(held.runs).toHaveLength(1);
  });
});

describe('shared accounts', () => {
  const shared = (name: string) =>
    entry(name, { accountKey: 'staging:email=qa@example.com', minIntervalMs: 60_000 });

  it('waits for the account and then runs, never two runs on one account at once', async () => {
    const { scheduler, held, skips } = setup([shared('a'), shared('b')], { accountWaitMs: () => 20_000 });
    scheduler.tick('a@sandbox', Date.now());
    scheduler.tick('b@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(5_000);
    expect(held.runs.map((r) => r.id)).toEqual(['a@sandbox']);
    expect(held.active()).toBe(1);
    held.runs[0]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.runs.map((r) => r.id)).toEqual(['a@sandbox', 'b@sandbox']);
    expect(held.active()).toBe(1);
    expect(skips).toEqual([]);
  });

  it('skips with account_busy when the account stays busy past the bound', async () => {
    const { scheduler, held, skips } = setup([shared('a'), shared('b')], { accountWaitMs: () => 20_000 });
    scheduler.tick('a@sandbox', Date.now());
    scheduler.tick('b@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(19_999);
    expect(skips).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(skips).toEqual([{ id: 'b@sandbox', reason: 'account_busy' }]);
    expect(held.runs.map((r) => r.id)).toEqual(['a@sandbox']);
  });

  it('does not lock runs without an account key (fresh sandbox accounts)', async () => {
    const { scheduler, held } = setup([entry('a'), entry('b')]);
    scheduler.tick('a@sandbox', Date.now());
    scheduler.tick('b@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(held.active()).toBe(2);
  });
});

describe('concurrency', () => {
  it('runs at most `concurrency` at once and starts the next when one ends', async () => {
    const entries = ['a', 'b', 'c', 'd'].map((n) => entry(n));
    const { scheduler, held, started } = setup(entries, { concurrency: 2 });
    for (const e of entries) scheduler.tick(e.id, Date.now());
    await vi.advanceTimersByTimeAsync(3_000);
    expect(held.active()).toBe(2);
    held.runs[0]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.active()).toBe(2);
    expect(held.runs.map((r) => r.id)).toEqual(['a@sandbox', 'b@sandbox', 'c@sandbox']);
    // The queued run's schedule delay is the time it waited for a slot.
    expect(started[2]!.delaySeconds).toBe(3);
  });
});

describe('shutdown', () => {
  it('skips ticks after stop() and runs still waiting (jitter, account, queue) with reason shutdown', async () => {
    const shared = { accountKey: 'k', minIntervalMs: 60_000 };
    const entries = [
      entry('run'),
      entry('queued'),
      entry('jitter', { jitterMs: 5_000 }),
      entry('holder', shared),
      entry('waiter', shared),
    ];
    const { scheduler, held, skips } = setup(entries, {
      concurrency: 2,
      random: () => 0.5,
      accountWaitMs: () => 30_000,
    });
    scheduler.tick('holder@sandbox', Date.now());
    scheduler.tick('run@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(2_500);
    scheduler.tick('queued@sandbox', Date.now());
    scheduler.tick('waiter@sandbox', Date.now());
    scheduler.tick('jitter@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(100);
    expect(held.active()).toBe(2);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(0);
    scheduler.tick('run@sandbox', Date.now());
    expect(skips.map((s) => `${s.id}:${s.reason}`).sort()).toEqual(
      [
        'jitter@sandbox:shutdown',
        'queued@sandbox:shutdown',
        'run@sandbox:shutdown',
        'waiter@sandbox:shutdown',
      ].sort(),
    );
    // What was already running goes on.
    expect(held.runs.every((r) => !r.signal.aborted)).toBe(true);
    expect(scheduler.running).toBe(2);
  });

  it('lets running runs finish within the grace period', async () => {
    const { scheduler, held } = setup([entry('a')]);
    scheduler.tick('a@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(0);
    const drained = scheduler.drain(30_000);
    await vi.advanceTimersByTimeAsync(10_000);
    held.runs[0]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    await expect(drained).resolves.toEqual({ finished: 1, aborted: 0, abandoned: 0 });
    expect(held.runs[0]!.signal.aborted).toBe(false);
  });

  it('aborts runs still going when the grace period ends', async () => {
    const { scheduler, held } = setup([entry('a'), entry('b')]);
    scheduler.tick('a@sandbox', Date.now());
    scheduler.tick('b@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(0);
    for (const run of held.runs) run.signal.addEventListener('abort', () => run.finish());
    held.runs[1]!.finish();
    const drained = scheduler.drain(30_000);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(held.runs[0]!.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(held.runs[0]!.signal.aborted).toBe(true);
    await expect(drained).resolves.toEqual({ finished: 1, aborted: 1, abandoned: 0 });
  });

  it('gives up on a run that ignores the abort, after a bound', async () => {
    const { scheduler } = setup([entry('a')]);
    scheduler.tick('a@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(0);
    const drained = scheduler.drain(1_000);
    await vi.advanceTimersByTimeAsync(1_000 + 15_000);
    await expect(drained).resolves.toEqual({ finished: 0, aborted: 1, abandoned: 1 });
  });

  it('drains at once when nothing runs, leaving no timer behind', async () => {
    const { scheduler } = setup([entry('a')]);
    await expect(scheduler.drain(30_000)).resolves.toEqual({ finished: 0, aborted: 0, abandoned: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('stalls and clock jumps', () => {
  it('runs once, not a burst, when a stalled loop delivers many ticks at once', async () => {
    const { scheduler, held, dropped } = setup([entry('a')]);
    const now = Date.now();
    // A 50 s stall: five slots, 10 s apart, all handed over now.
    for (const slot of [now - 40_000, now - 30_000, now - 20_000, now - 10_000, now])
      scheduler.tick('a@sandbox', slot);
    await vi.advanceTimersByTimeAsync(0);
    expect(held.runs).toHaveLength(1);
    expect(dropped.map((d) => d.reason)).toEqual(['stale', 'stale', 'stale', 'stale']);
  });

  it('drops a second tick right after an admitted one (clock stepped back), without counting a skip', async () => {
    const { scheduler, held, skips, dropped } = setup([entry('a')]);
    scheduler.tick('a@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(0);
    held.runs[0]!.finish();
    await vi.advanceTimersByTimeAsync(1_000);
    scheduler.tick('a@sandbox', Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(held.runs).toHaveLength(1);
    expect(dropped.map((d) => d.reason)).toEqual(['burst']);
    expect(skips).toEqual([]);
  });

  it('keeps to one run per interval over a long stretch of ticks', async () => {
    const { scheduler, held } = setup([entry('a')]);
    for (let i = 0; i < 30; i++) {
      scheduler.tick('a@sandbox', Date.now());
      await vi.advanceTimersByTimeAsync(0);
      held.runs.at(-1)?.finish();
      await vi.advanceTimersByTimeAsync(10_000);
    }
    expect(held.runs).toHaveLength(30);
  });
});

describe('run on start', () => {
  it('runs now and still never overlaps the first tick', async () => {
    const { scheduler, held, skips } = setup([entry('a')]);
    scheduler.runNow('a@sandbox');
    await vi.advanceTimersByTimeAsync(500);
    scheduler.tick('a@sandbox', Date.now());
    expect(held.runs).toHaveLength(1);
    expect(skips.map((s) => s.reason)).toEqual(['overlap']);
  });

  it('rejects an unknown schedule id', () => {
    const { scheduler } = setup([entry('a')]);
    expect(() => scheduler.tick('nope@sandbox', Date.now())).toThrow('no schedule "nope@sandbox"');
  });
});
