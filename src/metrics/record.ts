import type { Histogram, LabelValues } from 'prom-client';
import type { Outcome } from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';
import type { ProberMetrics } from './catalogue.js';

/** Outcomes that say the target passed the journey. */
const PASSED: ReadonlySet<Outcome> = new Set(['success', 'flaky', 'degraded']);

/**
 * Observes, with the run id as exemplar when the metrics keep exemplars. prom-client's
 * types declare exemplar labels as the metric's own label names, which they are not:
 * hence the cast.
 */
function observe<T extends string>(
  metrics: ProberMetrics,
  histogram: Histogram<T>,
  labels: LabelValues<T>,
  seconds: number,
  runId: string,
): void {
  if (!metrics.exemplars) return histogram.observe(labels, seconds);
  histogram.observe({
    labels,
    value: seconds,
    exemplarLabels: { run_id: runId } as unknown as LabelValues<T>,
  });
}

/** Unix seconds at which a run finished (its wall-clock start plus its duration). */
export function finishedAtSeconds(result: Pick<RunResult, 'startedAt' | 'durationMs'>): number {
  const started = Date.parse(result.startedAt);
  const ms = Number.isFinite(started) ? started + result.durationMs : Date.now();
  return ms / 1000;
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
  metrics.runs.inc({ ...jt, outcome: result.outcome });
  for (const outcome of result.attemptOutcomes) metrics.attempts.inc({ ...jt, outcome });
  if (result.failure !== undefined && (result.outcome === 'failure' || result.outcome === 'error')) {
    metrics.failures.inc({
      ...jt,
      step: steps.label(result.journey, result.failure.step),
      class: result.failure.class,
    });
  }
  observe(
    metrics,
    metrics.duration,
    { ...jt, outcome: result.outcome },
    result.durationMs / 1000,
    result.runId,
  );
  for (const step of result.steps) {
    if (step.outcome !== 'success' && step.outcome !== 'failure') continue;
    observe(
      metrics,
      metrics.stepDuration,
      { ...jt, step: steps.label(result.journey, step.name) },
      step.durationMs / 1000,
      result.runId,
    );
  }
  if (result.cleanupFailures > 0) metrics.cleanupFailures.inc(jt, result.cleanupFailures);
  // Evidence that could not be kept (writeArtifacts annotates why): the prober's problem, counted.
  if (typeof result.annotations.artifactError === 'string') metrics.artifactFailures.inc();
  const finished = finishedAtSeconds(result);
  metrics.lastRun.set(jt, finished);
  if (result.outcome === 'error') return;
  const passed = PASSED.has(result.outcome);
  metrics.success.set(jt, passed ? 1 : 0);
  if (passed) metrics.lastSuccess.set(jt, finished);
}
