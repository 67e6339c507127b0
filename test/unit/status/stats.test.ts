import { describe, expect, it } from 'vitest';
import { allWindows, percentile, windowStats } from '../../../src/status/history.js';
import { NOW, run } from './fixtures.js';

describe('percentile (nearest rank)', () => {
  it('is undefined for no values', () => {
    expect(percentile([], 0.95)).toBeUndefined();
  });
  it('picks the nearest-rank value', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([5, 1, 3], 0.95)).toBe(5);
  });
});

describe('windowStats', () => {
  const runs = [
    run('success', 10, { durationMs: 1000 }),
    run('failure', 20, { durationMs: 9000 }),
    run('error', 30, { durationMs: 50 }),
    run('flaky', 40, { durationMs: 2000 }),
    run('degraded', 50, { durationMs: 3000 }),
    run('failure', 90), // outside 1 h, inside 24 h
    run('success', 60 * 30, { durationMs: 8000 }), // 30 h ago: inside 7 d only
    run('success', 60 * 24 * 8), // 8 days ago: outside every window
  ];

  it('counts runs in the 1 h window; prober errors are not counted in the ratio', () => {
    const s = windowStats(runs, '1h', NOW);
    expect(s).toMatchObject({ window: '1h', runs: 5, counted: 4, failures: 1, errors: 1 });
    expect(s.successRatio).toBeCloseTo(3 / 4);
  });

  it('takes p95 over passing runs only (success, flaky, degraded)', () => {
    expect(windowStats(runs, '1h', NOW).p95Ms).toBe(3000);
  });

  it('widens with the window', () => {
    const [h1, d1, d7] = allWindows(runs, NOW);
    expect(h1!.runs).toBe(5);
    expect(d1!.runs).toBe(6);
    expect(d1!.successRatio).toBeCloseTo(3 / 5);
    expect(d7!.runs).toBe(7);
    expect(d7!.successRatio).toBeCloseTo(4 / 6);
    expect(d7!.p95Ms).toBe(8000);
  });

  it('moves with the injected clock', () => {
    const later = NOW + 2 * 60 * 60 * 1000; // two hours on: nothing in the last hour
    const s = windowStats(runs, '1h', later);
    expect(s.runs).toBe(0);
    expect(s.successRatio).toBeUndefined();
    expect(s.p95Ms).toBeUndefined();
  });

  it('excludes runs that start after now (clock skew) and exactly at the window start', () => {
    const edge = [run('success', 60), run('success', -1)];
    expect(windowStats(edge, '1h', NOW).runs).toBe(0);
  });

  it('has no ratio when only prober errors ran', () => {
    const s = windowStats([run('error', 1), run('error', 2)], '1h', NOW);
    expect(s).toMatchObject({ runs: 2, counted: 0, errors: 2 });
    expect(s.successRatio).toBeUndefined();
  });
});
