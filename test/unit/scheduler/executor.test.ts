import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { defineJourney } from '../../../src/journey/define.js';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { latencyBudgetOf, runOptions, type ReadyTarget } from '../../../src/scheduler/executor.js';

const withBudget = defineJourney({
  name: 'purchase',
  description: 'p',
  latencyBudgetMs: 60_000,
  run: () => Promise.resolve(),
});
const without = defineJourney({ name: 'renewal', description: 'r', run: () => Promise.resolve() });
const browser = {} as BrowserPool; // never launched: the options are only built
const settings = {
  browser,
  retries: 2,
  trace: 'off' as const,
  artifactsDir: '/tmp/a',
  log: pino({ level: 'silent' }),
};

function ready(latencyBudgetMs: Record<string, number>): ReadyTarget {
  return {
    target: {
      name: 'staging',
      baseUrl: 'https://example.test',
      allowPurchases: false,
      latencyBudgetMs,
    } as unknown as ReadyTarget['target'],
    accounts: () => Promise.reject(new Error('no account in this test')),
  };
}

describe('latencyBudgetOf: the one budget lookup', () => {
  it("takes the target's override, else the journey's own, else none", () => {
    expect(latencyBudgetOf(withBudget, { latencyBudgetMs: { purchase: 30_000 } })).toBe(30_000);
    expect(latencyBudgetOf(withBudget, { latencyBudgetMs: {} })).toBe(60_000);
    expect(latencyBudgetOf(without, { latencyBudgetMs: { purchase: 30_000 } })).toBeUndefined();
  });
});

describe('runOptions: RunOptions built one way for run, serve and the benchmarks', () => {
  it('carries the settings, the target accounts, the budget and the run request', () => {
    const target = ready({ purchase: 45_000 });
    const signal = new AbortController().signal;
    const options = runOptions(withBudget, target, settings, { runId: 'r-1', signal });
    expect(options).toMatchObject({
      browser,
      retries: 2,
      trace: 'off',
      artifactsDir: '/tmp/a',
      runId: 'r-1',
      latencyBudgetMs: 45_000,
    });
    expect(options.signal).toBe(signal);
    expect(options.accounts).toBe(target.accounts);
  });

  it('leaves out what is not given (no budget key when the journey has none)', () => {
    const options = runOptions(without, ready({}), settings);
    expect('latencyBudgetMs' in options).toBe(false);
    expect('runId' in options).toBe(false);
    expect('signal' in options).toBe(false);
  });
});
