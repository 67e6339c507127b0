import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createExemplarRegistry, createMetrics, type ProberMetrics } from '../../../src/metrics/catalogue.js';
import { defineJourney } from '../../../src/journey/define.js';
import {
  exemplarOf,
  metricsSink,
  recordRun,
  restoreGauges,
  schedulerMetrics,
  seedSeries,
} from '../../../src/metrics/record.js';
import { entry } from '../scheduler/fixtures.js';
import { result } from './fixtures.js';

interface Sample {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

/** Samples of a series name (`x_sum` and `x_count` of a histogram `x` included). */
async function samples(metrics: ProberMetrics, name: string): Promise<Sample[]> {
  const json = await metrics.registry.getMetricsAsJSON();
  const all = json.flatMap((m) =>
    (m.values as Sample[]).map((v) => ({ ...v, metricName: v.metricName ?? m.name })),
  );
  return all.filter((s) => s.metricName === name);
}

async function value(
  metrics: ProberMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const all = await samples(metrics, name);
  return all.find(
    (s) =>
      Object.entries(labels).every(([k, v]) => s.labels[k] === v) &&
      Object.keys(s.labels).length === Object.keys(labels).length,
  )?.value;
}

function fresh(): ProberMetrics {
  return createMetrics(createExemplarRegistry(), { exemplars: true });
}

const JT = { journey: 'purchase', target: 'sandbox' };
const FINISHED = Date.parse('2026-01-05T10:00:05.000Z') / 1000;

describe('seedSeries: every series exists from the start at 0', () => {
  it('creates runs for each outcome, attempts, skips for each reason, the gauges and the info gauge', async () => {
    const m = fresh();
    seedSeries(m, { ...JT, schedule: '*/5 * * * *' });
    for (const outcome of ['success', 'flaky', 'degraded', 'failure', 'error']) {
      expect(await value(m, 'synthetic_journey_runs_total', { ...JT, outcome })).toBe(0);
    }
    for (const outcome of ['success', 'failure', 'error']) {
      expect(await value(m, 'synthetic_journey_attempts_total', { ...JT, outcome })).toBe(0);
    }
    for (const reason of ['overlap', 'account_busy', 'shutdown']) {
      expect(await value(m, 'synthetic_journey_runs_skipped_total', { ...JT, reason })).toBe(0);
    }
    expect(await value(m, 'synthetic_journey_success', JT)).toBe(0);
    expect(await value(m, 'synthetic_journey_last_run_timestamp_seconds', JT)).toBe(0);
    expect(await value(m, 'synthetic_journey_in_progress', JT)).toBe(0);
    expect(await value(m, 'synthetic_journey_cleanup_failures_total', JT)).toBe(0);
    expect(await value(m, 'synthetic_journey_info', { ...JT, schedule: '*/5 * * * *' })).toBe(1);
    expect(await samples(m, 'synthetic_journey_failures_total')).toEqual([]);
  });
});

describe('recordRun', () => {
  it.each([
    ['success', 1, { success: 1 }],
    ['degraded', 1, { success: 1 }],
    ['flaky', 1, { failure: 1, success: 1 }],
    ['failure', 0, { failure: 1 }],
  ] as const)('%s: runs, attempts, success gauge %d', async (outcome, success, attempts) => {
    const m = fresh();
    seedSeries(m, JT);
    recordRun(m, result(outcome));
    expect(await value(m, 'synthetic_journey_runs_total', { ...JT, outcome })).toBe(1);
    for (const [attempt, n] of Object.entries(attempts)) {
      expect(await value(m, 'synthetic_journey_attempts_total', { ...JT, outcome: attempt })).toBe(n);
    }
    expect(await value(m, 'synthetic_journey_success', JT)).toBe(success);
    expect(await value(m, 'synthetic_journey_last_run_timestamp_seconds', JT)).toBe(FINISHED);
    expect(await value(m, 'synthetic_journey_last_success_timestamp_seconds', JT)).toBe(
      success === 1 ? FINISHED : 0,
    );
    expect(await value(m, 'synthetic_journey_duration_seconds_count', { ...JT, outcome })).toBe(1);
    expect(await value(m, 'synthetic_journey_duration_seconds_sum', { ...JT, outcome })).toBe(5);
  });

  it('failure: counts the failing step and class once', async () => {
    const m = fresh();
    recordRun(m, result('failure'));
    recordRun(m, result('failure'));
    expect(await samples(m, 'synthetic_journey_failures_total')).toEqual([
      expect.objectContaining({ labels: { ...JT, step: 'pay', class: 'payment_declined' }, value: 2 }),
    ]);
  });

  it('error: counted, but the success gauge keeps saying what the target did last', async () => {
    const m = fresh();
    recordRun(m, result('success'));
    recordRun(m, result('error', { startedAt: '2026-01-05T10:05:00.000Z' }));
    expect(await value(m, 'synthetic_journey_runs_total', { ...JT, outcome: 'error' })).toBe(1);
    expect(await value(m, 'synthetic_journey_attempts_total', { ...JT, outcome: 'error' })).toBe(1);
    expect(await value(m, 'synthetic_journey_success', JT)).toBe(1);
    expect(await value(m, 'synthetic_journey_last_run_timestamp_seconds', JT)).toBe(
      Date.parse('2026-01-05T10:05:05.000Z') / 1000,
    );
    expect(await value(m, 'synthetic_journey_last_success_timestamp_seconds', JT)).toBe(FINISHED);
    expect(await samples(m, 'synthetic_journey_failures_total')).toEqual([
      expect.objectContaining({ labels: { ...JT, step: 'pay', class: 'script' }, value: 1 }),
    ]);
  });

  it('observes step durations of steps that succeeded or failed, not skipped ones', async () => {
    const m = fresh();
    recordRun(m, result('failure'));
    expect(await value(m, 'synthetic_journey_step_duration_seconds_sum', { ...JT, step: 'sign in' })).toBe(
      0.8,
    );
    expect(await value(m, 'synthetic_journey_step_duration_seconds_sum', { ...JT, step: 'pay' })).toBe(3);
    expect(
      await value(m, 'synthetic_journey_step_duration_seconds_count', { ...JT, step: 'confirm' }),
    ).toBeUndefined();
  });

  it('counts cleanup failures', async () => {
    const m = fresh();
    recordRun(m, result('success', { cleanupFailures: 2 }));
    expect(await value(m, 'synthetic_journey_cleanup_failures_total', JT)).toBe(2);
  });

  it('never puts a run id, URL or message in a label', async () => {
    const m = fresh();
    recordRun(
      m,
      result('failure', {
        runId: 'run-secret-id',
        failure: { step: 'pay', class: 'http_error', message: 'HTTP 503 on https://x/y' },
      }),
    );
    const values = (await m.registry.getMetricsAsJSON()).flatMap((metric) =>
      metric.values.flatMap((v) => Object.values(v.labels).map(String)),
    );
    expect(
      values.filter((v) => v.includes('run-secret-id') || v.includes('https://') || v.includes('HTTP 503')),
    ).toEqual([]);
    const labelNames = new Set(
      (await m.registry.getMetricsAsJSON()).flatMap((metric) =>
        metric.values.flatMap((v) => Object.keys(v.labels)),
      ),
    );
    expect(
      [...labelNames].filter(
        (l) =>
          ![
            'journey',
            'target',
            'outcome',
            'step',
            'class',
            'reason',
            'schedule',
            'le',
            'version',
            'playwright',
            'browser',
          ].includes(l),
      ),
    ).toEqual([]);
  });

  it('works the same on a registry without exemplars (the push registry)', async () => {
    const m = createMetrics(new Registry(), { exemplars: false });
    recordRun(m, result('failure'));
    expect(await value(m, 'synthetic_journey_duration_seconds_count', { ...JT, outcome: 'failure' })).toBe(1);
  });
});

describe('bounded step labels', () => {
  it('keeps at most 20 step names of a journey without declared steps; the rest are `other`', async () => {
    const m = fresh();
    for (let i = 0; i < 30; i++) {
      recordRun(
        m,
        result('failure', {
          runId: `r${i}`,
          failure: { step: `step ${i}`, class: 'timeout', message: 'x' },
          steps: [],
        }),
      );
    }
    const steps = new Set((await samples(m, 'synthetic_journey_failures_total')).map((s) => s.labels.step));
    expect(steps.size).toBe(21);
    expect(steps.has('other')).toBe(true);
    expect(steps.has('step 19')).toBe(true);
    expect(steps.has('step 20')).toBe(false);
  });

  it('allows only the declared steps and the pseudo-steps when steps are declared', async () => {
    const m = fresh();
    seedSeries(m, { ...JT, steps: ['sign in', 'pay'] });
    recordRun(m, result('failure', { failure: { step: 'made up', class: 'script', message: 'x' } }));
    recordRun(m, result('failure', { failure: { step: 'account', class: 'precondition', message: 'x' } }));
    recordRun(m, result('failure'));
    const steps = (await samples(m, 'synthetic_journey_failures_total')).map((s) => s.labels.step).sort();
    expect(steps).toEqual(['account', 'other', 'pay']);
  });

  it('labels failure classes only from the bounded set', async () => {
    const m = fresh();
    for (const cls of ['auth', 'navigation', 'timeout'] as const)
      recordRun(m, result('failure', { failure: { step: 'pay', class: cls, message: 'x' } }));
    const classes = (await samples(m, 'synthetic_journey_failures_total')).map((s) => s.labels.class).sort();
    expect(classes).toEqual(['auth', 'navigation', 'timeout']);
  });
});

describe('restoreGauges', () => {
  it('brings back success and the last times from history, not the counters', async () => {
    const m = fresh();
    seedSeries(m, JT);
    restoreGauges(m, [result('failure', { startedAt: '2026-01-05T09:00:00.000Z' }), result('success')]);
    expect(await value(m, 'synthetic_journey_success', JT)).toBe(1);
    expect(await value(m, 'synthetic_journey_last_success_timestamp_seconds', JT)).toBe(FINISHED);
    expect(await value(m, 'synthetic_journey_runs_total', { ...JT, outcome: 'success' })).toBe(0);
  });
});

describe('restoreGauges: gauges from history, not from the last line', () => {
  const at = (hour: string) => ({ startedAt: `2026-01-05T${hour}:00:00.000Z` });
  const finished = (hour: string) => Date.parse(`2026-01-05T${hour}:00:05.000Z`) / 1000;

  it('newest run `error` (the run the restart cut): success and last success from the runs before it', async () => {
    const m = fresh();
    seedSeries(m, JT);
    restoreGauges(m, [result('success', at('08')), result('error', at('09'))]);
    expect(await value(m, 'synthetic_journey_success', JT)).toBe(1);
    expect(await value(m, 'synthetic_journey_last_success_timestamp_seconds', JT)).toBe(finished('08'));
    expect(await value(m, 'synthetic_journey_last_run_timestamp_seconds', JT)).toBe(finished('09'));
  });

  it('newest run `failure`: success 0, last success still the newest passed run', async () => {
    const m = fresh();
    seedSeries(m, JT);
    restoreGauges(m, [result('degraded', at('07')), result('flaky', at('08')), result('failure', at('09'))]);
    expect(await value(m, 'synthetic_journey_success', JT)).toBe(0);
    expect(await value(m, 'synthetic_journey_last_success_timestamp_seconds', JT)).toBe(finished('08'));
    expect(await value(m, 'synthetic_journey_last_run_timestamp_seconds', JT)).toBe(finished('09'));
  });

  it('reads history in any order, and keeps each journey × target apart', async () => {
    const m = fresh();
    const renewal = { journey: 'renewal', target: 'sandbox' };
    restoreGauges(m, [
      result('failure', at('09')),
      result('success', { ...at('10'), journey: 'renewal' }),
      result('success', at('08')),
      result('error', at('10')),
    ]);
    expect(await value(m, 'synthetic_journey_success', JT)).toBe(0);
    expect(await value(m, 'synthetic_journey_last_success_timestamp_seconds', JT)).toBe(finished('08'));
    expect(await value(m, 'synthetic_journey_last_run_timestamp_seconds', JT)).toBe(finished('10'));
    expect(await value(m, 'synthetic_journey_success', renewal)).toBe(1);
  });

  it('only prober errors in history: last run restored, success and last success left at their seed', async () => {
    const m = fresh();
    seedSeries(m, JT);
    restoreGauges(m, [result('error', at('09'))]);
    expect(await value(m, 'synthetic_journey_success', JT)).toBe(0);
    expect(await value(m, 'synthetic_journey_last_success_timestamp_seconds', JT)).toBe(0);
    expect(await value(m, 'synthetic_journey_last_run_timestamp_seconds', JT)).toBe(finished('09'));
  });
});

describe('DESIGN.md metrics of sign-ins, latency budget and the metrics sink', () => {
  const journey = defineJourney({ name: 'purchase', description: 'p', run: () => Promise.resolve() });

  it('counts fresh sign-ins by outcome from the run result, and nothing when the run has none', async () => {
    const m = fresh();
    recordRun(m, result('success'));
    expect(await samples(m, 'synthetic_journey_sign_ins_total')).toEqual([]);
    recordRun(m, result('success', { signIns: { success: 1, failure: 0 } }));
    recordRun(m, result('failure', { signIns: { success: 1, failure: 2 } }));
    expect(await value(m, 'synthetic_journey_sign_ins_total', { ...JT, outcome: 'success' })).toBe(2);
    expect(await value(m, 'synthetic_journey_sign_ins_total', { ...JT, outcome: 'failure' })).toBe(2);
  });

  it('sets the latency budget in seconds when seeded, and only for a journey that has one', async () => {
    const m = fresh();
    seedSeries(m, { ...JT, latencyBudgetMs: 45_000 });
    seedSeries(m, { journey: 'renewal', target: 'sandbox' });
    expect(await value(m, 'synthetic_journey_latency_budget_seconds', JT)).toBe(45);
    expect(await samples(m, 'synthetic_journey_latency_budget_seconds')).toHaveLength(1);
  });

  it('as a sink: in progress during the run, the budget at its start, the run recorded at its end', async () => {
    const m = fresh();
    seedSeries(m, JT);
    const sink = metricsSink(m);
    const start = { journey, target: 'sandbox', runId: 'run-success', latencyBudgetMs: 30_000 };
    sink.onRunStart?.(start);
    expect(await value(m, 'synthetic_journey_in_progress', JT)).toBe(1);
    expect(await value(m, 'synthetic_journey_latency_budget_seconds', JT)).toBe(30);
    await sink.onResult(result('success'), start);
    sink.onRunEnd?.(start);
    expect(await value(m, 'synthetic_journey_in_progress', JT)).toBe(0);
    expect(await value(m, 'synthetic_journey_runs_total', { ...JT, outcome: 'success' })).toBe(1);
  });

  it('counts the scheduler skips by reason and observes the start delay', async () => {
    const m = fresh();
    const events = schedulerMetrics(m);
    events.skipped?.(entry('purchase'), 'payment_budget');
    events.started?.(entry('purchase'), { runId: 'r', delaySeconds: 0.2 });
    expect(await value(m, 'synthetic_journey_runs_skipped_total', { ...JT, reason: 'payment_budget' })).toBe(
      1,
    );
    expect(await value(m, 'synthetic_journey_schedule_delay_seconds_count', JT)).toBe(1);
  });
});

describe('exemplarOf', () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

  it('the run id and the trace id, as OpenMetrics exemplar labels', () => {
    expect(exemplarOf({ runId: 'b3c1d2e4-5f60-4a7b-8c9d-0e1f2a3b4c5d', traceId })).toEqual({
      run_id: 'b3c1d2e4-5f60-4a7b-8c9d-0e1f2a3b4c5d',
      trace_id: traceId,
    });
  });

  it('a result from before trace ids keeps its run id', () => {
    expect(exemplarOf({ runId: 'run-1' })).toEqual({ run_id: 'run-1' });
  });

  it('keeps within the 128 characters OpenMetrics allows: a long run id gives way to the trace id', () => {
    const runId = 'r'.repeat(100);
    expect(exemplarOf({ runId, traceId })).toEqual({ trace_id: traceId });
    expect(exemplarOf({ runId: 'r'.repeat(200) })).toEqual({});
    // The longest run id that still fits beside the trace id: 128 - 'run_id' - 'trace_id' - 32.
    expect(exemplarOf({ runId: 'r'.repeat(82), traceId })).toHaveProperty('run_id');
    // prom-client throws past 128: recordRun must never do that.
    const m = createMetrics(createExemplarRegistry(), { exemplars: true });
    expect(() => recordRun(m, result('failure', { runId: 'r'.repeat(300) }))).not.toThrow();
  });
});
