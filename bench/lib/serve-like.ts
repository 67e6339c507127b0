import type { Logger } from 'pino';
import type { LiveTarget } from '../../src/commands/prepare.js';
import { seriesKey } from '../../src/journey/outcomes.js';
import type { Journey, RunResult } from '../../src/journey/types.js';
import { createExemplarRegistry, createMetrics } from '../../src/metrics/catalogue.js';
import { metricsSink } from '../../src/metrics/record.js';
import type { BrowserPool } from '../../src/runner/browser.js';
import type { TracePolicy } from '../../src/runner/types.js';
import { createExecutor, stepLogSink } from '../../src/scheduler/executor.js';
import type { ScheduleEntry } from '../../src/scheduler/types.js';
import { SinkList, type ResultSink } from '../../src/sinks/sink.js';

/** Runs one journey exactly as serve's scheduler does: its executor and serve's step-log and metrics sinks. */
export type ServeLikeRun = () => Promise<RunResult>;

export function serveLikeRunner(options: {
  readonly journey: Journey;
  readonly live: LiveTarget;
  readonly browser: BrowserPool;
  readonly log: Logger;
  readonly trace: TracePolicy;
  readonly artifactsDir: string;
  /** Default `off` (this thread). serve's default is `worker`: the pool must then be a browser server. */
  readonly isolation?: 'worker' | 'off';
}): ServeLikeRun {
  const metrics = createMetrics(createExemplarRegistry(), { exemplars: true });
  let last: RunResult | undefined;
  // What the benchmark reads back: the result the sinks were handed.
  const keepLast: ResultSink = { name: 'bench', onResult: (result) => void (last = result) };
  const execute = createExecutor({
    targets: new Map([['sandbox', options.live]]),
    settings: {
      browser: options.browser,
      retries: 0,
      trace: options.trace,
      artifactsDir: options.artifactsDir,
      log: options.log,
      isolation: options.isolation ?? 'off',
    },
    sinks: new SinkList([stepLogSink(options.log), metricsSink(metrics), keepLast], options.log),
  });
  const entry: ScheduleEntry = {
    id: seriesKey({ journey: options.journey.name, target: 'sandbox' }),
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
