import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../../src/commands/run.js';
import { formatMs, formatRunSummary, formatTotals, humanHooks } from '../../../src/sinks/stdout.js';
import { erroredRun, failedRun, passedRun } from './fixtures.js';

describe('human output', () => {
  it('prints each step live with its duration', () => {
    let out = '';
    const hooks = humanHooks({ write: (t) => (out += t), color: false });
    hooks.onAttemptStart?.({ journey: 'purchase', target: 'sandbox', runId: 'abc', attempt: 2 });
    for (const step of failedRun.steps) hooks.onStepEnd?.({ runId: 'abc', attempt: 2, step });
    expect(out).toContain('▶ purchase · sandbox run abc ↻ attempt 2');
    expect(out).toMatch(/✓ sign in\s+812 ms/);
    expect(out).toMatch(/✗ payment\s+3\.0 s\s+payment_declined: Your card was declined/);
    expect(out).toMatch(/– confirm\s+skipped/);
  });

  it('ends a failed run with the step, the artifacts and the command to open the trace', () => {
    const text = formatRunSummary(failedRun, false, '/a');
    expect(text).toContain('✗ purchase · staging: failure in 8.1 s (2 attempts)');
    expect(text).toContain('step payment · payment_declined · Your card was declined');
    expect(text).toContain('\n    trace id:   0af7651916cd43dd8448eb211c80319c\n');
    expect(text).toContain('artifacts:  purchase/staging/x');
    expect(text).toContain('trace:      npx playwright show-trace purchase/staging/x/trace.zip');
  });

  it('a passed run prints no trace id; a result without one prints no line for it', () => {
    expect(formatRunSummary(passedRun, false)).not.toContain('trace id');
    const { traceId: _unused, ...older } = failedRun;
    expect(formatRunSummary(older, false, '/a')).not.toContain('trace id');
  });

  it('counts outcomes', () => {
    expect(formatTotals([failedRun, passedRun, passedRun])).toBe('\n3 runs: 1 failure, 2 success\n');
  });

  it('formats durations', () => {
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(1540)).toBe('1.5 s');
  });

  it('no colour codes when the terminal has none', () => {
    expect(formatRunSummary(passedRun, false)).not.toContain('\u001b[');
    expect(formatRunSummary(passedRun, true)).toContain('\u001b[32m');
  });
});

describe('exit codes', () => {
  it('1 when the target failed, 3 when only the prober did, 0 otherwise', () => {
    expect(exitCodeOf([passedRun, failedRun, erroredRun])).toBe(1);
    expect(exitCodeOf([passedRun, erroredRun])).toBe(3);
    expect(
      exitCodeOf([passedRun, { ...passedRun, outcome: 'flaky' }, { ...passedRun, outcome: 'degraded' }]),
    ).toBe(0);
    expect(exitCodeOf([])).toBe(0);
  });
});
