import { describe, expect, it } from 'vitest';
import { deriveState } from '../../../src/status/series.js';
import { NOW, MINUTE, run } from './fixtures.js';

const at = (minutesAgo: number): string => new Date(NOW - minutesAgo * MINUTE).toISOString();

describe('deriveState (runs newest first)', () => {
  it('is no_data without runs', () => {
    expect(deriveState([])).toEqual({ kind: 'no_data', streak: 0 });
  });

  it('is failing since the first failure of the current streak', () => {
    const s = deriveState([run('failure', 1), run('failure', 6), run('failure', 11), run('success', 16)]);
    expect(s.kind).toBe('failing');
    expect(s.since).toBe(at(11));
    expect(s.streak).toBe(3);
  });

  it('looks through prober errors inside a failure streak', () => {
    const s = deriveState([run('failure', 1), run('error', 6), run('failure', 11), run('success', 16)]);
    expect(s.kind).toBe('failing');
    expect(s.since).toBe(at(11));
    expect(s.streak).toBe(2);
  });

  it('is passing since the first success after the last failure', () => {
    const s = deriveState([run('success', 1), run('success', 6), run('failure', 11)]);
    expect(s).toMatchObject({ kind: 'passing', since: at(6), streak: 2 });
  });

  it('reports flaky, degraded and prober errors from the newest run', () => {
    expect(deriveState([run('flaky', 1), run('success', 6)]).kind).toBe('flaky');
    expect(deriveState([run('degraded', 1), run('degraded', 6)])).toMatchObject({
      kind: 'degraded',
      since: at(6),
    });
    expect(deriveState([run('error', 1), run('failure', 6)])).toMatchObject({
      kind: 'prober_error',
      since: at(1),
      streak: 1,
    });
  });

  it('keeps the newest run', () => {
    const newest = run('failure', 1);
    expect(deriveState([newest, run('success', 5)]).latest).toBe(newest);
  });
});
