import type { RunResult } from '../journey/types.js';

/**
 * Exit code of a set of runs (DESIGN.md "Commands"): 1 when the target failed any run, else
 * 3 when the prober broke on any, else 0 (flaky and degraded runs passed). A deploy gate rolls
 * back on 1 and alerts the prober's owners on 3.
 */
export function exitCodeOf(results: readonly RunResult[]): 0 | 1 | 3 {
  if (results.some((r) => r.outcome === 'failure')) return 1;
  if (results.some((r) => r.outcome === 'error')) return 3;
  return 0;
}
