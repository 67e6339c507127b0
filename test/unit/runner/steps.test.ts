import { describe, expect, it } from 'vitest';
import { MAX_STEP_NAMES } from '../../../src/journey/define.js';
import { AttemptState } from '../../../src/runner/steps.js';
import { classify } from '../../../src/runner/classify.js';
import { StepContractError, StepTimeoutError } from '../../../src/runner/classify.js';
import { StepTracker } from '../../../src/runner/steps.js';

function tracker(declared?: readonly string[], defaultTimeoutMs = 2_000) {
  const state = new AttemptState();
  const timeouts: number[] = [];
  const steps = new StepTracker({
    state,
    declared,
    defaultTimeoutMs,
    classify: (error) =>
      classify(error, { http: [], targetOrigin: '', browserGone: false, redact: (t) => t }),
    setActionTimeout: (ms) => timeouts.push(ms),
  });
  return { state, steps, timeouts };
}

describe('StepTracker', () => {
  it('times passing steps, allows a reused name, and bounds actions by the step timeout', async () => {
    const { steps, state, timeouts } = tracker(undefined, 2_000);
    expect(await steps.step('a', () => Promise.resolve(42))).toBe(42);
    await steps.step('a', () => Promise.resolve(), { timeoutMs: 500 });
    expect(steps.results().map((r) => [r.name, r.outcome])).toEqual([
      ['a', 'success'],
      ['a', 'success'],
    ]);
    expect(steps.results()[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(timeouts).toEqual([2_000, 2_000, 500, 2_000]);
    expect(state.ended).toBe(false);
  });

  it('fails a step that outlives its timeout, on time, and ends the attempt', async () => {
    const { steps, state } = tracker();
    const started = performance.now();
    const never = new Promise<void>(() => undefined);
    await expect(steps.step('slow', () => never, { timeoutMs: 150 })).rejects.toBeInstanceOf(
      StepTimeoutError,
    );
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(state.failure).toMatchObject({ step: 'slow', class: 'timeout' });
    expect(steps.results()[0]).toMatchObject({
      name: 'slow',
      outcome: 'failure',
      failure: { class: 'timeout' },
    });
  });

  it('records a TypeError as an error step of class script', async () => {
    const { steps, state } = tracker();
    await expect(
      steps.step('boom', () => Promise.reject(new TypeError('x is undefined'))),
    ).rejects.toBeInstanceOf(TypeError);
    expect(steps.results()[0]).toMatchObject({ outcome: 'error', failure: { class: 'script' } });
    expect(state.failure?.step).toBe('boom');
  });

  it('refuses steps after the attempt ended', async () => {
    const { steps } = tracker();
    await steps.step('a', () => Promise.reject(new Error('first'))).catch(() => undefined);
    await expect(steps.step('b', () => Promise.resolve())).rejects.toThrow('first');
    expect(steps.results().map((r) => r.name)).toEqual(['a']);
  });

  it('a nested step is a script failure of the outer step', async () => {
    const { steps, state } = tracker();
    await expect(
      steps.step('outer', () => steps.step('inner', () => Promise.resolve())),
    ).rejects.toBeInstanceOf(StepContractError);
    expect(state.failure).toMatchObject({ step: 'outer', class: 'script' });
    expect(state.failure?.message).toMatch(/cannot nest/);
    expect(steps.results()).toEqual([expect.objectContaining({ name: 'outer', outcome: 'error' })]);
  });

  it('an undeclared step is a script failure; unreached declared steps are skipped', async () => {
    const { steps, state } = tracker(['sign in', 'pay', 'confirm']);
    await steps.step('sign in', () => Promise.resolve());
    await expect(steps.step('pay now', () => Promise.resolve())).rejects.toBeInstanceOf(StepContractError);
    expect(state.failure).toMatchObject({ step: 'journey', class: 'script' });
    expect(steps.results()).toEqual([
      expect.objectContaining({ name: 'sign in', outcome: 'success' }),
      { name: 'pay', outcome: 'skipped', durationMs: 0 },
      { name: 'confirm', outcome: 'skipped', durationMs: 0 },
    ]);
  });

  it(`the ${MAX_STEP_NAMES + 1}st distinct step name is a script failure`, async () => {
    const { steps, state } = tracker();
    for (let i = 1; i <= MAX_STEP_NAMES; i++) await steps.step(`s${i}`, () => Promise.resolve());
    await steps.step('s1', () => Promise.resolve());
    await expect(steps.step('one too many', () => Promise.resolve())).rejects.toBeInstanceOf(
      StepContractError,
    );
    expect(state.failure).toMatchObject({ step: 'journey', class: 'script' });
  });

  it('a bad step timeout is a script failure', async () => {
    const { steps, state } = tracker();
    await expect(steps.step('x', () => Promise.resolve(), { timeoutMs: -1 })).rejects.toThrow(/timeoutMs/);
    expect(state.failure?.class).toBe('script');
  });

  it('a step running when the attempt ends (run timeout) fails with the attempt failure, at once', async () => {
    const { steps, state } = tracker(undefined, 10_000);
    const pending = steps.step('long', () => new Promise<void>(() => undefined));
    state.end({ step: 'long', class: 'timeout', message: 'run timed out' }, new Error('run timed out'));
    await expect(pending).rejects.toThrow('run timed out');
    expect(steps.results()[0]).toMatchObject({
      name: 'long',
      failure: { class: 'timeout', message: 'run timed out' },
    });
  });
});

describe('StepTracker: one trace group per step', () => {
  function grouped(start: (name: string) => Promise<void>) {
    const state = new AttemptState();
    const calls: string[] = [];
    const steps = new StepTracker({
      state,
      defaultTimeoutMs: 2_000,
      classify: (error) =>
        classify(error, { http: [], targetOrigin: '', browserGone: false, redact: (t) => t }),
      traceGroup: {
        start: async (name) => {
          calls.push(`group ${name}`);
          await start(name);
        },
        end: () => {
          calls.push('end');
          return Promise.resolve();
        },
      },
    });
    return { state, steps, calls };
  }

  it('opens a group before the step body and closes it after, failing steps too', async () => {
    const { steps, calls } = grouped(() => Promise.resolve());
    await steps.step('sign in', () => {
      calls.push('body sign in');
      return Promise.resolve();
    });
    await expect(steps.step('pay', () => Promise.reject(new Error('declined')))).rejects.toThrow('declined');
    expect(calls).toEqual(['group sign in', 'body sign in', 'end', 'group pay', 'end']);
  });

  it('a failing group call does not fail the step', async () => {
    const { steps } = grouped(() => Promise.reject(new Error('tracing not started')));
    expect(await steps.step('a', () => Promise.resolve(7))).toBe(7);
  });

  it('a group call that hangs is bounded by the step timeout', async () => {
    const { steps, state } = grouped(() => new Promise<void>(() => undefined));
    const started = performance.now();
    await expect(steps.step('a', () => Promise.resolve(), { timeoutMs: 150 })).rejects.toBeInstanceOf(
      StepTimeoutError,
    );
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(state.failure).toMatchObject({ step: 'a', class: 'timeout' });
  });
});
