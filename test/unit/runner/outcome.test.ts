import { describe, expect, it } from 'vitest';
import type { AttemptOutcome, Outcome } from '../../../src/journey/outcomes.js';
import { attemptOutcomeOf, deriveOutcome } from '../../../src/runner/classify.js';

const a = (outcome: AttemptOutcome, journeyMs = 100) => ({ outcome, journeyMs });

describe('deriveOutcome', () => {
  const cases: [string, ReturnType<typeof a>[], { latencyBudgetMs?: number; aborted?: boolean }, Outcome][] =
    [
      ['one pass', [a('success')], {}, 'success'],
      ['one failure', [a('failure')], {}, 'failure'],
      ['one error', [a('error')], {}, 'error'],
      ['fail then pass', [a('failure'), a('success')], {}, 'flaky'],
      ['error then pass', [a('error'), a('success')], {}, 'flaky'],
      ['fail, fail', [a('failure'), a('failure')], {}, 'failure'],
      ['fail then error: the last decides', [a('failure'), a('error')], {}, 'error'],
      ['pass over budget', [a('success', 900)], { latencyBudgetMs: 500 }, 'degraded'],
      ['pass at budget', [a('success', 500)], { latencyBudgetMs: 500 }, 'success'],
      ['flaky wins over degraded', [a('failure'), a('success', 900)], { latencyBudgetMs: 500 }, 'flaky'],
      ['aborted', [a('failure')], { aborted: true }, 'error'],
      ['no attempt', [], {}, 'error'],
    ];
  it.each(cases)('%s', (_label, attempts, options, expected) => {
    expect(deriveOutcome(attempts, options)).toBe(expected);
  });
});

describe('attemptOutcomeOf', () => {
  it('maps prober classes to error, others to failure, none to success', () => {
    expect(attemptOutcomeOf(undefined)).toBe('success');
    expect(attemptOutcomeOf('script')).toBe('error');
    expect(attemptOutcomeOf('browser')).toBe('error');
    expect(attemptOutcomeOf('timeout')).toBe('failure');
    expect(attemptOutcomeOf('precondition')).toBe('failure');
  });
});
