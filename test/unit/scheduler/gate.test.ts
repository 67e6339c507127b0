import { describe, expect, it } from 'vitest';
import { TickGate } from '../../../src/scheduler/cron.js';

describe('TickGate', () => {
  it('admits ticks on time, one per interval', () => {
    const gate = new TickGate(60_000);
    expect(gate.admit(0, 10, 10)).toBe('run');
    expect(gate.admit(60_000, 60_010, 60_010)).toBe('run');
    expect(gate.admit(120_000, 120_500, 120_500)).toBe('run');
  });

  it('drops a tick later than half the interval (at least 5 s, at most 60 s)', () => {
    expect(new TickGate(2_000).admit(0, 5_000, 0)).toBe('run');
    expect(new TickGate(2_000).admit(0, 5_001, 0)).toBe('stale');
    expect(new TickGate(60_000).admit(0, 30_001, 0)).toBe('stale');
    expect(new TickGate(3_600_000).admit(0, 60_000, 0)).toBe('run');
    expect(new TickGate(3_600_000).admit(0, 60_001, 0)).toBe('stale');
  });

  it('drops a tick closer than half the interval to the last admitted one, on the monotonic clock', () => {
    const gate = new TickGate(10_000);
    expect(gate.admit(0, 0, 1_000)).toBe('run');
    expect(gate.admit(0, 0, 5_999)).toBe('burst');
    expect(gate.admit(10_000, 10_000, 6_000)).toBe('run');
  });
});
