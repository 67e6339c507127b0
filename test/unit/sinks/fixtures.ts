import type { RunResult } from '../../../src/journey/types.js';

/** A failed purchase run, as the runner reports it. */
export const failedRun: RunResult = {
  runId: 'r-fail',
  traceId: '0af7651916cd43dd8448eb211c80319c',
  journey: 'purchase',
  target: 'staging',
  outcome: 'failure',
  startedAt: '2026-11-24T10:00:00.000Z',
  durationMs: 8123.4,
  attempts: 2,
  attemptOutcomes: ['failure', 'failure'],
  steps: [
    { name: 'sign in', outcome: 'success', durationMs: 812.1 },
    {
      name: 'payment',
      outcome: 'failure',
      durationMs: 3010.2,
      failure: { class: 'payment_declined', message: 'Your card was declined. Contact your card issuer' },
    },
    { name: 'confirm', outcome: 'skipped', durationMs: 0 },
  ],
  failure: {
    step: 'payment',
    class: 'payment_declined',
    message: 'Your card was declined. Contact your card issuer',
  },
  artifacts: {
    dir: '/a/purchase/staging/x',
    screenshot: '/a/purchase/staging/x/screenshot.png',
    trace: '/a/purchase/staging/x/trace.zip',
  },
  safeMode: false,
  cleanupFailures: 0,
  annotations: {},
};

export const passedRun: RunResult = {
  runId: 'r-ok',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  journey: 'renewal',
  target: 'staging',
  outcome: 'success',
  startedAt: '2026-11-24T10:01:00.000Z',
  durationMs: 4000,
  attempts: 1,
  attemptOutcomes: ['success'],
  steps: [
    { name: 'sign in', outcome: 'success', durationMs: 700 },
    { name: 'renew', outcome: 'success', durationMs: 3300 },
  ],
  safeMode: false,
  cleanupFailures: 0,
  annotations: {},
};

export const erroredRun: RunResult = {
  ...passedRun,
  runId: 'r-err',
  journey: 'seat-change',
  outcome: 'error',
  attemptOutcomes: ['error'],
  steps: [
    {
      name: 'sign in',
      outcome: 'error',
      durationMs: 50,
      failure: { class: 'browser', message: 'Browser closed' },
    },
  ],
  failure: { step: 'sign in', class: 'browser', message: 'Browser closed' },
};

export const accountFailure: RunResult = {
  ...passedRun,
  runId: 'r-acc',
  outcome: 'failure',
  attemptOutcomes: ['failure'],
  steps: [],
  failure: {
    step: 'account',
    class: 'precondition',
    message: 'target "staging" has no account for state "renewable"',
  },
};
