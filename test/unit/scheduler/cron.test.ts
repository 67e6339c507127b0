import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { armCron, cronMinIntervalMs, type CronDriver } from '../../../src/scheduler/cron.js';
import { entry } from './fixtures.js';

const silent = pino({ level: 'silent' });

describe('cronMinIntervalMs', () => {
  it.each([
    ['*/2 * * * * *', 2_000],
    ['*/5 * * * *', 300_000],
    ['0 9,17 * * *', 8 * 3_600_000],
    ['30 * * * * *', 60_000],
  ])('%s → %d ms', (expression, ms) => {
    expect(cronMinIntervalMs(expression, undefined)).toBe(ms);
  });

  it('reads the expression in the given time zone', () => {
    expect(cronMinIntervalMs('0 * * * *', 'Asia/Kolkata')).toBe(3_600_000);
  });
});

describe('armCron (node-cron driving the scheduler)', () => {
  let driver: CronDriver | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-05T10:00:00.500Z'));
  });
  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    vi.useRealTimers();
  });

  it('hands every tick its scheduled second, one per slot', async () => {
    const ticks: { id: string; slot: number }[] = [];
    driver = await armCron(
      [entry('a', { cron: '*/2 * * * * *' })],
      (id, slot) => ticks.push({ id, slot }),
      silent,
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ticks.map((t) => new Date(t.slot).toISOString())).toEqual([
      '2026-01-05T10:00:02.000Z',
      '2026-01-05T10:00:04.000Z',
      '2026-01-05T10:00:06.000Z',
      '2026-01-05T10:00:08.000Z',
      '2026-01-05T10:00:10.000Z',
    ]);
    expect(new Set(ticks.map((t) => t.id))).toEqual(new Set(['a@sandbox']));
  });

  it('fires no catch-up burst after the clock jumps a minute ahead (a stalled or suspended process)', async () => {
    const ticks: number[] = [];
    driver = await armCron([entry('a', { cron: '*/2 * * * * *' })], (_id, slot) => ticks.push(slot), silent);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ticks).toHaveLength(1);
    vi.setSystemTime(Date.now() + 60_000); // 30 slots pass while nothing runs
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ticks.length).toBeLessThanOrEqual(2);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(ticks.length).toBeLessThanOrEqual(4);
  });

  it('tells when each schedule ticks next, and stops ticking once stopped', async () => {
    const ticks: number[] = [];
    driver = await armCron([entry('a', { cron: '*/2 * * * * *' })], (_id, slot) => ticks.push(slot), silent);
    expect(driver.nextRun('a@sandbox')?.toISOString()).toBe('2026-01-05T10:00:02.000Z');
    expect(driver.nextRun('b@sandbox')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2_000);
    await driver.stop();
    expect(driver.nextRun('a@sandbox')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ticks).toHaveLength(1);
  });
});
