import { describe, expect, it } from 'vitest';
import {
  SampleError,
  linearFit,
  median,
  medianRatio,
  percentile,
  ratio,
  summarize,
} from '../../../bench/lib/stats.js';
import { niceStep } from '../../../bench/lib/svg.js';
import { rotate } from '../../../bench/lib/bench.js';

describe('bench statistics', () => {
  it('median of odd and even samples, whatever their order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('percentiles interpolate between closest ranks', () => {
    const values = [10, 20, 30, 40, 50];
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 50)).toBe(30);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 90)).toBeCloseTo(46, 10);
    expect(percentile([1, 2], 25)).toBeCloseTo(1.25, 10);
  });

  it('ratio of medians compares two samples and refuses a zero denominator', () => {
    expect(medianRatio([105, 100, 110], [100, 90, 110])).toBeCloseTo(1.05, 10);
    expect(ratio(3, 2)).toBe(1.5);
    expect(() => ratio(1, 0)).toThrow(SampleError);
  });

  it('an empty or non-finite sample is an error, not a number', () => {
    expect(() => median([])).toThrow(/empty sample/);
    expect(() => median([1, Number.NaN])).toThrow(SampleError);
    expect(() => percentile([1], 101)).toThrow(/outside/);
  });

  it('linear fit recovers slope and intercept of a line, and R² 1', () => {
    const xs = [0, 1, 2, 3, 4, 5];
    const fit = linearFit(
      xs,
      xs.map((x) => 3 + 0.5 * x),
    );
    expect(fit.slope).toBeCloseTo(0.5, 12);
    expect(fit.intercept).toBeCloseTo(3, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('a flat noisy series has a slope near 0; a growing one does not', () => {
    const xs = Array.from({ length: 200 }, (_, i) => i);
    const noise = (i: number): number => ((i * 7919) % 13) - 6; // deterministic, mean ~0
    const flat = linearFit(
      xs,
      xs.map((i) => 100 + noise(i)),
    );
    expect(Math.abs(flat.slope)).toBeLessThan(0.01);
    const growing = linearFit(
      xs,
      xs.map((i) => 100 + 0.2 * i + noise(i)),
    );
    expect(growing.slope).toBeCloseTo(0.2, 1);
    expect(() => linearFit([1, 1], [2, 3])).toThrow(/every x/);
    expect(() => linearFit([1, 2], [2])).toThrow(SampleError);
  });

  it('summarize reports n, median and spread', () => {
    expect(summarize([3, 1, 2, 4, 5])).toEqual({ n: 5, median: 3, p10: 1.4, p90: 4.6, min: 1, max: 5 });
  });

  it('rotate takes turns going first; nice steps are 1, 2 or 5 × 10^k', () => {
    expect(rotate(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(rotate(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a']);
    expect(niceStep(520, 8)).toBe(100);
    expect(niceStep(3, 6)).toBe(0.5);
    expect(niceStep(180, 6)).toBe(50);
  });
});
