/**
 * The shipped defaults of every SLO and alerting parameter. `npm run rules` turns them
 * (or an operator's YAML file over them, see params-file.ts) into
 * deploy/prometheus/rules/*.yml (and a fast test-only variant in rules-test/) and the
 * Grafana dashboard. docs/slo.md explains the arithmetic behind each number.
 * Durations are Prometheus durations (`30s`, `5m`, `1h`, `28d`). Latency budgets are not
 * here: each journey's `latencyBudgetMs` is exported as
 * synthetic_journey_latency_budget_seconds and the latency alert reads that series.
 */

/** One tier of the multiwindow, multi-burn-rate alert (Google SRE workbook, chapter 5). */
export interface BurnRateTier {
  /** Long window: the burn rate must hold over it. */
  readonly long: string;
  /**
   * Short window: the burn must still be happening now, so the alert resolves soon after
   * the fault is fixed. Widened to 2 x the longest run interval when shorter (see below).
   */
  readonly short: string;
  /** Burn-rate factor: error ratio over the window / (1 - objective). */
  readonly factor: number;
  /** At least this many failed runs in the long window: one failed run must not page. */
  readonly minFailedRuns: number;
  /** At least this many non-error runs in the long window: no verdict on too few samples. */
  readonly minRuns: number;
  readonly severity: Severity;
  /** How long the condition holds before the alert fires. */
  readonly for: string;
}

export type Severity = 'page' | 'ticket';

/** Per-journey exceptions to the defaults (journey name = the `journey` label). */
export interface JourneyOverride {
  /** How often the journey runs (its cron schedule's period). */
  readonly interval?: string;
}

export interface SloParams {
  /** Availability objective of the portal, as a ratio (0.9995 = 99.95 %). */
  readonly objective: number;
  /** The SLO period: availability and error budget are computed over it. */
  readonly period: string;
  /** Prometheus scrape interval of the prober job (prometheus.yml must agree). */
  readonly scrapeInterval: string;
  /** Rule evaluation interval of the short-window groups. */
  readonly evaluationInterval: string;
  /** Evaluation interval of the SLO-period group (28 d increase is costly). */
  readonly periodEvaluationInterval: string;
  /** Scrape job name of the prober in prometheus.yml. */
  readonly job: string;
  /** Default run interval of a journey (serve's default schedule: every 5 min). */
  readonly runInterval: string;
  readonly burnRate: readonly BurnRateTier[];
  /** JourneyConsecutiveFailures: this many failed runs in a row, no good run between. */
  readonly consecutiveFailures: { readonly count: number; readonly severity: Severity };
  /** JourneyPaymentFailures: payment_declined + payment_form failures over the window. */
  readonly payment: {
    readonly window: string;
    /** Share of non-error runs that failed on payment. */
    readonly ratio: number;
    readonly minFailedRuns: number;
    readonly for: string;
    readonly severity: Severity;
  };
  /** JourneyLatencyBudgetExceeded: p95 of passed runs over the journey's exported budget, sustained. */
  readonly latency: {
    readonly window: string;
    readonly minRuns: number;
    readonly for: string;
    readonly severity: Severity;
  };
  /** JourneyNotRunning: no finished run of a journey for this many run intervals. */
  readonly silentIntervals: number;
  /**
   * JourneyNotRunning of a replica that cannot be scraped (its series went stale): how far
   * back its pairs are remembered. The alert lasts at most this long after the replica died.
   */
  readonly silentLookback: string;
  /** JourneyProberDown / JourneyProberAbsent: the scrape fails, or the job has no target. */
  readonly proberDown: { readonly for: string; readonly absentFor: string };
  /** JourneyProberErrors: outcome="error" runs (the prober broke, not the portal). */
  readonly proberErrors: {
    readonly window: string;
    readonly ratio: number;
    readonly minErrors: number;
    readonly for: string;
  };
  /** JourneyProberBrowserRestarts: the shared browser was relaunched this often. */
  readonly browserRestarts: { readonly window: string; readonly count: number };
  readonly journeys: Readonly<Record<string, JourneyOverride>>;
  /** Base URL of serve: `<base>/` is the status page, `<base>/journeys/<j>?target=<t>` a journey. */
  readonly statusBaseUrl: string;
  /** Where docs/runbooks/ is browsable: runbook_url = `<base>/<AlertName>.md`. */
  readonly runbookBaseUrl: string;
  /** The Grafana dashboard's URL (`https://grafana…/d/journey-prober`): `dashboard_url`; '' for none. */
  readonly dashboardUrl: string;
  /** Labels added to every alert (team, service, …), e.g. for Alertmanager routing. */
  readonly alertLabels: Readonly<Record<string, string>>;
  /**
   * The `location` values Prometheus sees (the Kubernetes overlays' names): each gets its
   * own JourneyProberAbsent. Empty: one JourneyProberAbsent for the whole job.
   */
  readonly locations: readonly string[];
}

/** Production parameters. Every number is argued in docs/slo.md. */
export const PRODUCTION: SloParams = {
  objective: 0.9995,
  period: '28d',
  scrapeInterval: '1m',
  evaluationInterval: '1m',
  periodEvaluationInterval: '5m',
  job: 'journey-prober',
  runInterval: '5m',
  burnRate: [
    { long: '1h', short: '5m', factor: 14.4, minFailedRuns: 3, minRuns: 4, severity: 'page', for: '2m' },
    { long: '6h', short: '30m', factor: 6, minFailedRuns: 4, minRuns: 24, severity: 'page', for: '15m' },
    { long: '1d', short: '2h', factor: 3, minFailedRuns: 3, minRuns: 96, severity: 'ticket', for: '1h' },
    { long: '3d', short: '6h', factor: 1, minFailedRuns: 4, minRuns: 288, severity: 'ticket', for: '3h' },
  ],
  consecutiveFailures: { count: 3, severity: 'page' },
  payment: { window: '1h', ratio: 0.2, minFailedRuns: 3, for: '5m', severity: 'page' },
  latency: { window: '2h', minRuns: 20, for: '30m', severity: 'ticket' },
  silentIntervals: 3,
  silentLookback: '1d',
  proberDown: { for: '5m', absentFor: '10m' },
  proberErrors: { window: '1h', ratio: 0.25, minErrors: 3, for: '15m' },
  browserRestarts: { window: '1h', count: 3 },
  journeys: {},
  // These two links do NOT resolve from an on-call laptop: the first is the in-cluster
  // Service, the second a placeholder project. An operator sets both (docs/slo.md).
  statusBaseUrl: 'http://journey-prober.monitoring.svc:9464',
  runbookBaseUrl: 'https://gitlab.com/gitlab-org/journey-prober/-/blob/main/docs/runbooks',
  dashboardUrl: '',
  alertLabels: {},
  locations: [],
};
