import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  type OpenMetricsContentType,
  type RegistryContentType,
} from 'prom-client';
import { StepLabels } from './step-labels.js';

/** Journeys take 1–120 s: buckets around that range, with room on both sides. */
export const JOURNEY_BUCKETS = [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120, 180];
/** Steps take 50 ms–60 s. */
export const STEP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60];
/** From a tick's scheduled time (plus its jitter) to the run's start: queueing and lag. */
export const DELAY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/** Why a scheduled tick did not become a run (DESIGN.md "Metrics", contract). */
export const SKIP_REASONS = ['overlap', 'account_busy', 'shutdown', 'payment_budget'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

type JT = 'journey' | 'target';

/**
 * Every metric of DESIGN.md's catalogue, on one injected registry. Names, types and labels
 * are a contract: no other label, never a URL, run id or message.
 */
export interface ProberMetrics {
  readonly registry: Registry<RegistryContentType>;
  /** Whether the duration histograms keep run-id exemplars (needs an OpenMetrics registry). */
  readonly exemplars: boolean;
  readonly runs: Counter<JT | 'outcome'>;
  readonly attempts: Counter<JT | 'outcome'>;
  readonly failures: Counter<JT | 'step' | 'class'>;
  readonly duration: Histogram<JT | 'outcome'>;
  readonly stepDuration: Histogram<JT | 'step'>;
  readonly success: Gauge<JT>;
  readonly lastRun: Gauge<JT>;
  readonly lastSuccess: Gauge<JT>;
  readonly skipped: Counter<JT | 'reason'>;
  readonly scheduleDelay: Histogram<JT>;
  readonly inProgress: Gauge<JT>;
  readonly cleanupFailures: Counter<JT>;
  readonly info: Gauge<JT | 'schedule'>;
  readonly buildInfo: Gauge<'version' | 'playwright' | 'browser'>;
  readonly browserRestarts: Counter;
  /** Runs whose evidence could not be written (disk full, read-only): the verdict stands. */
  readonly artifactFailures: Counter;
  /** Keeps the `step` label of this registry's series bounded. */
  readonly stepLabels: StepLabels;
}

/**
 * A registry that can hold exemplars. prom-client allows exemplars only on a registry of
 * the OpenMetrics type; render it with `renderMetrics`, which serves either format
 * without changing it (never with its own `metrics()`, which renames counters in place).
 */
export function createExemplarRegistry(): Registry<OpenMetricsContentType> {
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}

/**
 * Registers the catalogue on `registry`. With `exemplars` (the registry must come from
 * createExemplarRegistry) the duration histograms carry the run id as exemplar.
 */
export function createMetrics(
  registry: Registry<RegistryContentType>,
  options: { readonly exemplars: boolean },
): ProberMetrics {
  const registers = [registry];
  const enableExemplars = options.exemplars;
  return {
    registry,
    exemplars: enableExemplars,
    stepLabels: new StepLabels(),
    runs: new Counter({
      name: 'synthetic_journey_runs_total',
      help: 'Finished runs of a journey on a target, by outcome (success, flaky, degraded, failure, error).',
      labelNames: ['journey', 'target', 'outcome'],
      registers,
    }),
    attempts: new Counter({
      name: 'synthetic_journey_attempts_total',
      help: 'Attempts within runs (retries make several), by attempt outcome (success, failure, error).',
      labelNames: ['journey', 'target', 'outcome'],
      registers,
    }),
    failures: new Counter({
      name: 'synthetic_journey_failures_total',
      help: 'Failed runs by the step that failed and the failure class.',
      labelNames: ['journey', 'target', 'step', 'class'],
      registers,
    }),
    duration: new Histogram({
      name: 'synthetic_journey_duration_seconds',
      help: 'Duration of whole runs, retries included, by outcome.',
      labelNames: ['journey', 'target', 'outcome'],
      buckets: JOURNEY_BUCKETS,
      enableExemplars,
      registers,
    }),
    stepDuration: new Histogram({
      name: 'synthetic_journey_step_duration_seconds',
      help: 'Duration of steps that succeeded or failed (skipped and errored steps are left out).',
      labelNames: ['journey', 'target', 'step'],
      buckets: STEP_BUCKETS,
      enableExemplars,
      registers,
    }),
    success: new Gauge({
      name: 'synthetic_journey_success',
      help: '1 when the last run passed (success, flaky or degraded), else 0.',
      labelNames: ['journey', 'target'],
      registers,
    }),
    lastRun: new Gauge({
      name: 'synthetic_journey_last_run_timestamp_seconds',
      help: 'Unix time the last run finished; 0 when it never ran.',
      labelNames: ['journey', 'target'],
      registers,
    }),
    lastSuccess: new Gauge({
      name: 'synthetic_journey_last_success_timestamp_seconds',
      help: 'Unix time the last passing run finished; 0 when none passed yet.',
      labelNames: ['journey', 'target'],
      registers,
    }),
    skipped: new Counter({
      name: 'synthetic_journey_runs_skipped_total',
      help: 'Scheduled ticks that did not run, by reason (overlap, account_busy, shutdown).',
      labelNames: ['journey', 'target', 'reason'],
      registers,
    }),
    scheduleDelay: new Histogram({
      name: 'synthetic_journey_schedule_delay_seconds',
      help: "From a tick's scheduled time plus its random jitter to the run's start (queueing, account waits, lag).",
      labelNames: ['journey', 'target'],
      buckets: DELAY_BUCKETS,
      registers,
    }),
    inProgress: new Gauge({
      name: 'synthetic_journey_in_progress',
      help: 'Runs going on now.',
      labelNames: ['journey', 'target'],
      registers,
    }),
    cleanupFailures: new Counter({
      name: 'synthetic_journey_cleanup_failures_total',
      help: 'Cleanups of things a run created that failed (orders left behind).',
      labelNames: ['journey', 'target'],
      registers,
    }),
    info: new Gauge({
      name: 'synthetic_journey_info',
      help: 'Always 1: a journey probed on a target, with its cron schedule.',
      labelNames: ['journey', 'target', 'schedule'],
      registers,
    }),
    buildInfo: new Gauge({
      name: 'journey_prober_build_info',
      help: 'Always 1: the prober version, Playwright version and browser version.',
      labelNames: ['version', 'playwright', 'browser'],
      registers,
    }),
    browserRestarts: new Counter({
      name: 'journey_prober_browser_restarts_total',
      help: 'Browser relaunches after a crash or disconnect (planned recycles not counted).',
      registers,
    }),
    artifactFailures: new Counter({
      name: 'journey_prober_artifact_failures_total',
      help: 'Runs whose failure evidence could not be written in full (disk full, read-only); the verdict is unaffected.',
      registers,
    }),
  };
}
