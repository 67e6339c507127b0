import type { BenchOutput } from './report.js';

/** What a benchmark is handed. */
export interface BenchContext {
  /** Smoke check: few rounds, short phases; numbers are not worth committing as results. */
  readonly quick: boolean;
  /** A progress line on stderr. */
  progress(line: string): void;
}

/** One benchmark: `npm run bench -- <name>` runs it alone. */
export interface Benchmark {
  readonly name: string;
  readonly title: string;
  run(context: BenchContext): Promise<BenchOutput>;
}

/** Rotates `items` by `round`: contestants take turns going first (A B C, B C A, …). */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const k = items.length === 0 ? 0 : round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** ms with one decimal, for tables. */
export function ms(value: number): string {
  return `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
}

export function times(value: number): string {
  return `${value.toFixed(3)}×`;
}
