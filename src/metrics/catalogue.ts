import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  type OpenMetricsContentType,
  type RegistryContentType,
} from 'prom-client';
import { MAX_STEP_NAMES } from '../journey/define.js';
import { PSEUDO_STEPS } from '../journey/outcomes.js';

/** Journeys take 1–120 s: buckets around that range, with room on both sides. */
export const JOURNEY_BUCKETS = [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120, 180];
/** Steps take 50 ms–60 s. */
export const STEP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60];
/** From a tick's scheduled time (plus its jitter) to the run's start: queueing and lag. */
export const DELAY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/** One metric of the catalogue: what the code registers and what the rule generator, docs and tests read. */
export interface MetricSpec<L extends string = string> {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly labels: readonly L[];
  readonly buckets?: readonly number[];
}

function spec<const L extends string>(s: MetricSpec<L>): MetricSpec<L> {
  return s;
}

/**
 * DESIGN.md's metric catalogue (contract): the one list of names, types, labels and help.
 * `createMetrics` registers exactly these; `src/rules` and the docs read them.
 */
export const METRICS = {
  runs: spec({
    name: 'synthetic_journey_runs_total',
    type: 'counter',
    help: 'Finished runs of a journey on a target, by outcome (success, flaky, degraded, failure, error).',
    labels: ['journey', 'target', 'outcome'],
  }),
  attempts: spec({
    name: 'synthetic_journey_attempts_total',
    type: 'counter',
    help: 'Attempts within runs (retries make several), by attempt outcome (success, failure, error).',
    labels: ['journey', 'target', 'outcome'],
  }),
  failures: spec({
    name: 'synthetic_journey_failures_total',
    type: 'counter',
    help: 'Failed runs by the step that failed and the failure class.',
    labels: ['journey', 'target', 'step', 'class'],
  }),
  duration: spec({
    name: 'synthetic_journey_duration_seconds',
    type: 'histogram',
    help: 'Duration of whole runs, retries included, by outcome.',
    labels: ['journey', 'target', 'outcome'],
    buckets: JOURNEY_BUCKETS,
  }),
  stepDuration: spec({
    name: 'synthetic_journey_step_duration_seconds',
    type: 'histogram',
    help: 'Duration of steps that succeeded or failed (skipped and errored steps are left out).',
    labels: ['journey', 'target', 'step'],
    buckets: STEP_BUCKETS,
  }),
  success: spec({
    name: 'synthetic_journey_success',
    type: 'gauge',
    help: '1 when the last run passed (success, flaky or degraded), else 0.',
    labels: ['journey', 'target'],
  }),
  lastRun: spec({
    name: 'synthetic_journey_last_run_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time the last run finished; 0 when it never ran.',
    labels: ['journey', 'target'],
  }),
  lastSuccess: spec({
    name: 'synthetic_journey_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time the last passing run finished; 0 when none passed yet.',
    labels: ['journey', 'target'],
  }),
  skipped: spec({
    name: 'synthetic_journey_runs_skipped_total',
    type: 'counter',
    help: 'Scheduled ticks that did not run, by reason (overlap, account_busy, shutdown, payment_budget).',
    labels: ['journey', 'target', 'reason'],
  }),
  scheduleDelay: spec({
    name: 'synthetic_journey_schedule_delay_seconds',
    type: 'histogram',
    help: "From a tick's scheduled time plus its random jitter to the run's start (queueing, account waits, lag).",
    labels: ['journey', 'target'],
    buckets: DELAY_BUCKETS,
  }),
  inProgress: spec({
    name: 'synthetic_journey_in_progress',
    type: 'gauge',
    help: 'Runs going on now.',
    labels: ['journey', 'target'],
  }),
  cleanupFailures: spec({
    name: 'synthetic_journey_cleanup_failures_total',
    type: 'counter',
    help: 'Cleanups of things a run created that failed (orders left behind).',
    labels: ['journey', 'target'],
  }),
  info: spec({
    name: 'synthetic_journey_info',
    type: 'gauge',
    help: 'Always 1: a journey probed on a target, with its cron schedule.',
    labels: ['journey', 'target', 'schedule'],
  }),
  latencyBudget: spec({
    name: 'synthetic_journey_latency_budget_seconds',
    type: 'gauge',
    help: 'The latency budget above which a passed run is degraded; the latency alert reads it.',
    labels: ['journey', 'target'],
  }),
  signIns: spec({
    name: 'synthetic_journey_sign_ins_total',
    type: 'counter',
    help: 'Fresh sign-ins made by runs (reused sessions not counted), by outcome (success, failure).',
    labels: ['journey', 'target', 'outcome'],
  }),
  buildInfo: spec({
    name: 'journey_prober_build_info',
    type: 'gauge',
    help: 'Always 1: the prober version, Playwright version and browser version.',
    labels: ['version', 'playwright', 'browser'],
  }),
  shardInfo: spec({
    name: 'journey_prober_shard_info',
    type: 'gauge',
    help: 'Always 1: which replica this serve is (shard i of shards), of a StatefulSet scaled out.',
    labels: ['shard', 'shards'],
  }),
  browserRestarts: spec({
    name: 'journey_prober_browser_restarts_total',
    type: 'counter',
    help: 'Browser relaunches after a crash or disconnect (planned recycles not counted).',
    labels: [],
  }),
  artifactFailures: spec({
    name: 'journey_prober_artifact_failures_total',
    type: 'counter',
    help: 'Runs whose failure evidence could not be written in full (disk full, read-only); the verdict is unaffected.',
    labels: [],
  }),
  resultsWriteFailures: spec({
    name: 'journey_prober_results_write_failures_total',
    type: 'counter',
    help: 'Run results that could not be appended to the results log (disk full, read-only); metrics still count them.',
    labels: [],
  }),
} as const;

/** The catalogue as a list, in DESIGN.md's order. */
export const METRIC_CATALOGUE: readonly MetricSpec[] = Object.values(METRICS);

/** The `step` label value of step names beyond a journey's budget. */
export const OVERFLOW_STEP = 'other';

const PSEUDO: ReadonlySet<string> = new Set(Object.values(PSEUDO_STEPS));

/**
 * Keeps the `step` label bounded: a journey's declared steps (or the first
 * MAX_STEP_NAMES names seen, when it declares none) plus the runner's pseudo-steps; any
 * other name becomes `other`, so a journey that builds step names at run time cannot
 * explode the number of series.
 */
export class StepLabels {
  readonly #declared = new Map<string, ReadonlySet<string>>();
  readonly #seen = new Map<string, Set<string>>();

  /** Fixes a journey's label values to its declared step names. */
  declare(journey: string, steps: readonly string[]): void {
    this.#declared.set(journey, new Set(steps));
  }

  label(journey: string, step: string): string {
    if (PSEUDO.has(step)) return step;
    const declared = this.#declared.get(journey);
    if (declared !== undefined) return declared.has(step) ? step : OVERFLOW_STEP;
    let seen = this.#seen.get(journey);
    if (seen === undefined) {
      seen = new Set();
      this.#seen.set(journey, seen);
    }
    if (seen.has(step)) return step;
    if (seen.size >= MAX_STEP_NAMES) return OVERFLOW_STEP;
    seen.add(step);
    return step;
  }
}

type Labels<K extends keyof typeof METRICS> = (typeof METRICS)[K]['labels'][number];

/**
 * Every metric of DESIGN.md's catalogue, on one injected registry. Names, types and labels
 * are a contract: no other label, never a URL, run id or message.
 */
export interface ProberMetrics {
  readonly registry: Registry<RegistryContentType>;
  /** Whether the duration histograms keep run-id exemplars (needs an OpenMetrics registry). */
  readonly exemplars: boolean;
  readonly runs: Counter<Labels<'runs'>>;
  readonly attempts: Counter<Labels<'attempts'>>;
  readonly failures: Counter<Labels<'failures'>>;
  readonly duration: Histogram<Labels<'duration'>>;
  readonly stepDuration: Histogram<Labels<'stepDuration'>>;
  readonly success: Gauge<Labels<'success'>>;
  readonly lastRun: Gauge<Labels<'lastRun'>>;
  readonly lastSuccess: Gauge<Labels<'lastSuccess'>>;
  readonly skipped: Counter<Labels<'skipped'>>;
  readonly scheduleDelay: Histogram<Labels<'scheduleDelay'>>;
  readonly inProgress: Gauge<Labels<'inProgress'>>;
  readonly cleanupFailures: Counter<Labels<'cleanupFailures'>>;
  readonly info: Gauge<Labels<'info'>>;
  readonly latencyBudget: Gauge<Labels<'latencyBudget'>>;
  readonly signIns: Counter<Labels<'signIns'>>;
  readonly buildInfo: Gauge<Labels<'buildInfo'>>;
  readonly shardInfo: Gauge<Labels<'shardInfo'>>;
  readonly browserRestarts: Counter;
  /** Runs whose evidence could not be written (disk full, read-only): the verdict stands. */
  readonly artifactFailures: Counter;
  /** Results the results log could not take: the metrics still count the run. */
  readonly resultsWriteFailures: Counter;
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
  const counter = <L extends string>(s: MetricSpec<L>): Counter<L> =>
    new Counter({ name: s.name, help: s.help, labelNames: s.labels, registers });
  const gauge = <L extends string>(s: MetricSpec<L>): Gauge<L> =>
    new Gauge({ name: s.name, help: s.help, labelNames: s.labels, registers });
  const histogram = <L extends string>(s: MetricSpec<L>, exemplars = enableExemplars): Histogram<L> =>
    new Histogram({
      name: s.name,
      help: s.help,
      labelNames: s.labels,
      buckets: [...(s.buckets ?? [])],
      enableExemplars: exemplars,
      registers,
    });
  const m = METRICS;
  return {
    registry,
    exemplars: enableExemplars,
    stepLabels: new StepLabels(),
    runs: counter(m.runs),
    attempts: counter(m.attempts),
    failures: counter(m.failures),
    duration: histogram(m.duration),
    stepDuration: histogram(m.stepDuration),
    success: gauge(m.success),
    lastRun: gauge(m.lastRun),
    lastSuccess: gauge(m.lastSuccess),
    skipped: counter(m.skipped),
    scheduleDelay: histogram(m.scheduleDelay, false),
    inProgress: gauge(m.inProgress),
    cleanupFailures: counter(m.cleanupFailures),
    info: gauge(m.info),
    latencyBudget: gauge(m.latencyBudget),
    signIns: counter(m.signIns),
    buildInfo: gauge(m.buildInfo),
    shardInfo: gauge(m.shardInfo),
    browserRestarts: counter(m.browserRestarts),
    artifactFailures: counter(m.artifactFailures),
    resultsWriteFailures: counter(m.resultsWriteFailures),
  };
}
