import type { Histogram, LabelValues } from 'prom-client';
import {
  ATTEMPT_OUTCOMES,
  OUTCOMES,
  countsForSli,
  isPassed,
  seriesKey,
  type JourneyTarget,
} from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';
import { SKIP_REASONS, type SchedulerEvents } from '../scheduler/types.js';
import type { ResultSink } from '../sinks/sink.js';
import type { ProberMetrics } from './catalogue.js';

/**
 * How runs become numbers: the series a journey × target has from the start, every update
 * one finished run makes, the gauges brought back after a restart, and the sink and
 * scheduler hooks that do it in `serve`, `run --push` and the benchmarks alike.
 */

/** OpenMetrics bounds an exemplar's label names and values to 128 characters in all. */
const MAX_EXEMPLAR_CHARS = 128;

/**
 * The exemplar of a run's observations: its run id (the status page's `/runs/<id>`) and its
 * W3C trace id (`trace_id`, what Grafana links to a tracing backend). Exemplar labels, never
 * metric labels (DESIGN.md "Metrics"). A run id too long to fit beside the trace id is left out.
 */
export function exemplarOf(result: Pick<RunResult, 'runId' | 'traceId'>): Record<string, string> {
  const labels: Record<string, string> = { run_id: result.runId };
  if (result.traceId !== undefined) labels.trace_id = result.traceId;
  const size = Object.entries(labels).reduce((n, [k, v]) => n + k.length + v.length, 0);
  if (size <= MAX_EXEMPLAR_CHARS) return labels;
  return result.traceId === undefined ? {} : { trace_id: result.traceId };
}

/**
 * Observes, with the run's exemplar when the metrics keep exemplars. prom-client's types
 * declare exemplar labels as the metric's own label names, which they are not: hence the cast.
 */
function observe<T extends string>(
  metrics: ProberMetrics,
  histogram: Histogram<T>,
  labels: LabelValues<T>,
  seconds: number,
  exemplar: Record<string, string>,
): void {
  if (!metrics.exemplars) return histogram.observe(labels, seconds);
  histogram.observe({ labels, value: seconds, exemplarLabels: exemplar as unknown as LabelValues<T> });
}

/** Unix seconds at which a run finished (its wall-clock start plus its duration). */
export function finishedAtSeconds(result: Pick<RunResult, 'startedAt' | 'durationMs'>): number {
  const started = Date.parse(result.startedAt);
  const ms = Number.isFinite(started) ? started + result.durationMs : Date.now();
  return ms / 1000;
}

/** One journey probed on one target: the series that exist from the start. */
export interface SeriesSeed extends JourneyTarget {
  /** Declared step names: the only `step` label values of the journey. */
  readonly steps?: readonly string[];
  /** The cron expression, for `synthetic_journey_info`; absent for one-shot runs. */
  readonly schedule?: string;
  /** The journey's latency budget on the target, for `synthetic_journey_latency_budget_seconds`. */
  readonly latencyBudgetMs?: number;
}

/** Sets the latency-budget gauge the latency alert reads; no series when the journey has no budget. */
function setLatencyBudget(metrics: ProberMetrics, jt: JourneyTarget, budgetMs: number | undefined): void {
  if (budgetMs !== undefined) metrics.latencyBudget.set(jt, budgetMs / 1000);
}

/**
 * Creates a journey × target's series at 0, so `rate()` and absence alerts work from the
 * first scrape: runs for every outcome, attempts, skips for every reason, the gauges, the
 * info gauge with the schedule and the latency budget.
 */
export function seedSeries(metrics: ProberMetrics, key: SeriesSeed): void {
  const jt = { journey: key.journey, target: key.target };
  if (key.steps !== undefined) metrics.stepLabels.declare(key.journey, key.steps);
  for (const outcome of OUTCOMES) metrics.runs.inc({ ...jt, outcome }, 0);
  for (const outcome of ATTEMPT_OUTCOMES) metrics.attempts.inc({ ...jt, outcome }, 0);
  for (const reason of SKIP_REASONS) metrics.skipped.inc({ ...jt, reason }, 0);
  metrics.cleanupFailures.inc(jt, 0);
  metrics.success.set(jt, 0);
  metrics.lastRun.set(jt, 0);
  metrics.lastSuccess.set(jt, 0);
  metrics.inProgress.set(jt, 0);
  if (key.schedule !== undefined) metrics.info.set({ ...jt, schedule: key.schedule }, 1);
  setLatencyBudget(metrics, jt, key.latencyBudgetMs);
}

/**
 * Every metric update one finished run makes: the single place a verdict becomes numbers,
 * shared by `serve` and `run --push` so the same run gives the same metrics.
 *
 * `synthetic_journey_success` and the last-success time follow runs that judged the
 * target; a run whose outcome is `error` (the prober broke) updates only the last-run time,
 * as it says nothing about the target (the SLI leaves it out too).
 */
export function recordRun(metrics: ProberMetrics, result: RunResult): void {
  const steps = metrics.stepLabels;
  const jt = { journey: result.journey, target: result.target };
  const exemplar = exemplarOf(result);
  metrics.runs.inc({ ...jt, outcome: result.outcome });
  for (const outcome of result.attemptOutcomes) metrics.attempts.inc({ ...jt, outcome });
  if (result.failure !== undefined && (result.outcome === 'failure' || result.outcome === 'error')) {
    metrics.failures.inc({
      ...jt,
      step: steps.label(result.journey, result.failure.step),
      class: result.failure.class,
    });
  }
  observe(metrics, metrics.duration, { ...jt, outcome: result.outcome }, result.durationMs / 1000, exemplar);
  for (const step of result.steps) {
    if (step.outcome !== 'success' && step.outcome !== 'failure') continue;
    observe(
      metrics,
      metrics.stepDuration,
      { ...jt, step: steps.label(result.journey, step.name) },
      step.durationMs / 1000,
      exemplar,
    );
  }
  if (result.cleanupFailures > 0) metrics.cleanupFailures.inc(jt, result.cleanupFailures);
  if (result.signIns !== undefined) {
    // Both series appear with a run's first sign-in, so `rate()` of failures has a denominator.
    metrics.signIns.inc({ ...jt, outcome: 'success' }, result.signIns.success);
    metrics.signIns.inc({ ...jt, outcome: 'failure' }, result.signIns.failure);
  }
  // Evidence that could not be kept (writeArtifacts annotates why): the prober's problem, counted.
  if (typeof result.annotations.artifactError === 'string') metrics.artifactFailures.inc();
  const finished = finishedAtSeconds(result);
  metrics.lastRun.set(jt, finished);
  if (!countsForSli(result.outcome)) return;
  const passed = isPassed(result.outcome);
  metrics.success.set(jt, passed ? 1 : 0);
  if (passed) metrics.lastSuccess.set(jt, finished);
}

/**
 * Restores the state gauges after a restart from run history (any order): the last-run
 * time from the newest run, success from the newest run that counts for the SLI (an
 * `error`, often the run the restart's SIGTERM cut, says nothing of the target), the
 * last-success time from the newest passed run. Counters start at 0, as Prometheus
 * expects of a restarted process.
 */
export function restoreGauges(metrics: ProberMetrics, history: readonly RunResult[]): void {
  const newest = new Map<string, { last?: RunResult; counted?: RunResult; passed?: RunResult }>();
  const later = (a: RunResult | undefined, b: RunResult): boolean =>
    a === undefined || finishedAtSeconds(b) >= finishedAtSeconds(a);
  for (const run of history) {
    const key = seriesKey(run);
    const found = newest.get(key) ?? {};
    if (later(found.last, run)) found.last = run;
    if (countsForSli(run.outcome) && later(found.counted, run)) found.counted = run;
    if (isPassed(run.outcome) && later(found.passed, run)) found.passed = run;
    newest.set(key, found);
  }
  for (const { last, counted, passed } of newest.values()) {
    if (last === undefined) continue;
    const jt = { journey: last.journey, target: last.target };
    metrics.lastRun.set(jt, finishedAtSeconds(last));
    if (counted !== undefined) metrics.success.set(jt, isPassed(counted.outcome) ? 1 : 0);
    if (passed !== undefined) metrics.lastSuccess.set(jt, finishedAtSeconds(passed));
  }
}

/** The metrics as a result sink: in-progress around each run, the latency budget, then recordRun. */
export function metricsSink(metrics: ProberMetrics): ResultSink {
  const jt = (run: { readonly journey: { readonly name: string }; readonly target: string }) => ({
    journey: run.journey.name,
    target: run.target,
  });
  return {
    name: 'metrics',
    onRunStart: (run) => {
      metrics.inProgress.inc(jt(run));
      setLatencyBudget(metrics, jt(run), run.latencyBudgetMs);
    },
    onResult: (result) => recordRun(metrics, result),
    onRunEnd: (run) => metrics.inProgress.dec(jt(run)),
  };
}

/** What the scheduler's skips and start delays do to the metrics. */
export function schedulerMetrics(metrics: ProberMetrics): SchedulerEvents {
  const jt = (e: { readonly journey: { readonly name: string }; readonly target: string }) => ({
    journey: e.journey.name,
    target: e.target,
  });
  return {
    skipped: (entry, reason) => metrics.skipped.inc({ ...jt(entry), reason }),
    started: (entry, run) => metrics.scheduleDelay.observe(jt(entry), run.delaySeconds),
  };
}
