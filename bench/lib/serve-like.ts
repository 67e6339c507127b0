import type { Logger } from 'pino';
import type { LiveTarget } from '../../src/commands/prepare.js';
import type { Journey, RunResult } from '../../src/journey/types.js';
import { createExemplarRegistry, createMetrics } from '../../src/metrics/catalogue.js';
import { recordRun } from '../../src/metrics/record.js';
import type { BrowserPool } from '../../src/runner/browser.js';
import type { TracePolicy } from '../../src/runner/types.js';
import { createExecutor } from '../../src/scheduler/executor.js';
import type { ScheduleEntry } from '../../src/scheduler/types.js';

/** Runs one journey exactly as serve's scheduler does: its executor, step logs, metrics. */
export type ServeLikeRun = () => Promise<RunResult>;

export function serveLikeRunner(options: {
  readonly journey: Journey;
  readonly live: LiveTarget;
  readonly browser: BrowserPool;
  readonly log: Logger;
  readonly trace: TracePolicy;
  readonly artifactsDir: string;
}): ServeLikeRun {
  const metrics = createMetrics(createExemplarRegistry(), { exemplars: true });
  let last: RunResult | undefined;
  const execute = createExecutor({
    browser: options.browser,
    targets: new Map([['sandbox', options.live]]),
    retries: 0,
    trace: options.trace,
    artifactsDir: options.artifactsDir,
    log: options.log,
    onResult: (result) => {
      recordRun(metrics, result);
      last = result;
      return Promise.resolve();
    },
  });
  const entry: ScheduleEntry = {
    id: `${options.journey.name}@sandbox`,
    journey: options.journey,
    target: 'sandbox',
    cron: '* * * * *',
    timezone: undefined,
    jitterMs: 0,
    runOnStart: false,
    accountKey: undefined,
    minIntervalMs: 60_000,
  };
  let n = 0;
  return async () => {
    last = undefined;
    await execute(entry, { runId: `bench-${process.pid}-${++n}`, signal: new AbortController().signal });
    if (last === undefined) throw new Error('the executor finished without a result');
    return last;
  };
}

/** A benchmark run that did not pass measures nothing: stop the benchmark. */
export function mustPass(result: RunResult): RunResult {
  if (result.outcome !== 'success') {
    throw new Error(
      `bench run ${result.outcome}: ${result.failure ? `${result.failure.step}: ${result.failure.class}: ${result.failure.message}` : ''}`,
    );
  }
  return result;
}
