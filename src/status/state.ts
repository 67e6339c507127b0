import type { Outcome } from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';

/** What a journey × target is doing now, from its newest runs. */
export type SeriesStateKind = 'passing' | 'failing' | 'flaky' | 'degraded' | 'prober_error' | 'no_data';

export interface SeriesState {
  readonly kind: SeriesStateKind;
  /** Start of the current streak: the oldest run of the unbroken run of this state (ISO). */
  readonly since?: string;
  /** Runs in the current streak. */
  readonly streak: number;
  /** The newest run, when there is one. */
  readonly latest?: RunResult;
}

/** Human labels for each state. */
export const STATE_LABELS: Readonly<Record<SeriesStateKind, string>> = {
  passing: 'passing',
  failing: 'failing',
  flaky: 'flaky',
  degraded: 'degraded',
  prober_error: 'prober error',
  no_data: 'no data',
};

const KIND_OF: Readonly<Record<Outcome, SeriesStateKind>> = {
  success: 'passing',
  failure: 'failing',
  flaky: 'flaky',
  degraded: 'degraded',
  error: 'prober_error',
};

/**
 * The state of a series from its runs, newest first. A failure streak looks through prober
 * errors (the prober failing says nothing about the target), so "failing since" is when the
 * target started failing even if the prober broke in between.
 */
export function deriveState(newestFirst: readonly RunResult[]): SeriesState {
  const latest = newestFirst[0];
  if (latest === undefined) return { kind: 'no_data', streak: 0 };
  const kind = KIND_OF[latest.outcome];
  let since = latest.startedAt;
  let streak = 0;
  for (const run of newestFirst) {
    const runKind = KIND_OF[run.outcome];
    if (runKind === kind) {
      since = run.startedAt;
      streak += 1;
      continue;
    }
    if (kind === 'failing' && runKind === 'prober_error') continue;
    break;
  }
  return { kind, since, streak, latest };
}
