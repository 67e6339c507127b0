/**
 * The statistics every benchmark reports: medians, percentiles, ratios of medians and the
 * slope of a least-squares line. Pure functions of their input; an empty sample is an error
 * (a benchmark that measured nothing must not report a number).
 */

/** A sample that cannot give the statistic asked for (empty, or not finite). */
export class SampleError extends Error {
  override readonly name = 'SampleError';
}

function checked(values: readonly number[], what: string): number[] {
  if (values.length === 0) throw new SampleError(`${what} of an empty sample`);
  for (const v of values) {
    if (!Number.isFinite(v)) throw new SampleError(`${what}: sample holds ${String(v)}`);
  }
  return [...values].sort((a, b) => a - b);
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = checked(values, 'median');
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Percentile `p` in [0, 100], linear interpolation between closest ranks (numpy's default). */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new SampleError(`percentile ${p} is outside 0..100`);
  const sorted = checked(values, `p${p}`);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export function mean(values: readonly number[]): number {
  const sorted = checked(values, 'mean');
  return sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
}

/** `a / b`, refusing a zero or negative denominator instead of reporting Infinity. */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) {
    throw new SampleError(`ratio ${a} / ${b} is undefined`);
  }
  return a / b;
}

/** Ratio of the medians of two samples (the benchmarks' A/B comparison). */
export function medianRatio(a: readonly number[], b: readonly number[]): number {
  return ratio(median(a), median(b));
}

/** A least-squares line y = intercept + slope * x, and how well it fits (R²). */
export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  readonly r2: number;
  readonly n: number;
}

/** Ordinary least squares over points (x, y): the trend of memory over runs. */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  if (xs.length !== ys.length)
    throw new SampleError(`linear fit of ${xs.length} x and ${ys.length} y values`);
  if (xs.length < 2) throw new SampleError('linear fit needs at least 2 points');
  const mx = mean(xs);
  const my = mean(ys);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new SampleError('linear fit: every x is the same');
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy), n: xs.length };
}

/** What a benchmark reports of one sample. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    median: median(values),
    p10: percentile(values, 10),
    p90: percentile(values, 90),
    min: percentile(values, 0),
    max: percentile(values, 100),
  };
}

/** Rounds for reports: `digits` decimals. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
