import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { defineJourney } from '../../../src/journey/define.js';
import type { BrowserPool } from '../../../src/runner/browser.js';
import {
  isolationOf,
  latencyBudgetOf,
  runOptions,
  type ReadyTarget,
} from '../../../src/scheduler/executor.js';
import { configSchema } from '../../../src/config/schema.js';

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

  it("carries the target's secret query parameters to the run's evidence scrubber", () => {
    const base = ready({});
    const target = { ...base, target: { ...base.target, secretQueryParams: ['sid'] } };
    expect(runOptions(without, target, settings).secretQueryParams).toEqual(['sid']);
    expect('secretQueryParams' in runOptions(without, base, settings)).toBe(false);
  });

  it('leaves out what is not given (no budget key when the journey has none)', () => {
    const options = runOptions(without, ready({}), settings);
    expect('latencyBudgetMs' in options).toBe(false);
    expect('runId' in options).toBe(false);
    expect('signal' in options).toBe(false);
  });
});

describe('isolationOf: journey workers by default, the config or PROBER_ISOLATION to turn them off', () => {
  it('is `worker` by default in the config, and the config decides without the variable', () => {
    expect(configSchema.parse({}).isolation).toBe('worker');
    expect(isolationOf('worker', {})).toBe('worker');
    expect(isolationOf('off', {})).toBe('off');
    expect(isolationOf('off', { PROBER_ISOLATION: '' })).toBe('off');
  });
  it('PROBER_ISOLATION overrides the config both ways; another value is a one-line usage error', () => {
    expect(isolationOf('worker', { PROBER_ISOLATION: 'off' })).toBe('off');
    expect(isolationOf('off', { PROBER_ISOLATION: 'worker' })).toBe('worker');
    expect(() => isolationOf('worker', { PROBER_ISOLATION: 'thread' })).toThrow(
      'PROBER_ISOLATION "thread" is not one of worker, off',
    );
  });
});
