import { effectiveTiers, errorBudget } from './derive.js';
import type { PanelSpec } from './grafana.js';
import { recorded } from './names.js';
import type { SloParams } from './params.js';
import { recentWindow } from './recording.js';

// `location=~".*"` (All) also matches series without the label: one unlabelled location.
const JT = 'location=~"$location",journey=~"$journey",target=~"$target"';

/** The dashboard's rows: title and panels, top to bottom. */
export function sections(params: SloParams): { title: string; panels: PanelSpec[] }[] {
  const p = params.period;
  const w = recentWindow(params);
  const lw = params.latency.window;
  const slo = params.objective;
  return [
    {
      title: `SLO: ${slo * 100} % of journey runs succeed over ${p}`,
      panels: [
        {
          title: `Availability, ${p}`,
          type: 'stat',
          description: 'Good runs / non-error runs per journey and target; red below the SLO.',
          queries: [{ expr: `${recorded.availability(p)}{${JT}}`, legend: '{{journey}} @ {{target}}' }],
          unit: 'percentunit',
          threshold: { value: slo },
          width: 8,
        },
        {
          title: `Error budget remaining, ${p}`,
          type: 'stat',
          description: `1 - error ratio / ${errorBudget(params)}. At ~12 runs an hour one failed run costs about a quarter of it.`,
          queries: [{ expr: `${recorded.budgetRemaining(p)}{${JT}}`, legend: '{{journey}} @ {{target}}' }],
          unit: 'percentunit',
          threshold: { value: 0 },
          width: 8,
        },
        {
          title: `Availability per target vs SLO, ${p}`,
          type: 'timeseries',
          description: 'All journeys of a target together, against the objective.',
          queries: [
            { expr: `${recorded.targetAvailability(p)}{target=~"$target"}`, legend: '{{target}}' },
            { expr: `vector(${slo})`, legend: 'SLO' },
          ],
          unit: 'percentunit',
          max: 1,
          width: 8,
        },
      ],
    },
    {
      title: 'Error ratio and burn rate',
      panels: [
        {
          title: `Error ratio per journey (${w})`,
          type: 'timeseries',
          description: 'Failed runs / non-error runs (prober errors excluded).',
          queries: [
            { expr: `${recorded.errorRatio(w)}{${JT}}`, legend: '{{journey}} @ {{target}} {{location}}' },
          ],
          unit: 'percentunit',
          min: 0,
        },
        {
          title: `Error ratio per location (${w})`,
          type: 'timeseries',
          description:
            'All selected journeys together, per location: one line up is that location (its network, its prober); ' +
            'all lines up is the portal. A page needs 2 locations (or the only one).',
          queries: [
            {
              expr: `sum by (location) (${recorded.failedRuns(w)}{${JT}}) / sum by (location) (${recorded.runs(w)}{${JT}})`,
              legend: '{{location}}',
            },
          ],
          unit: 'percentunit',
          min: 0,
          width: 24,
        },
        {
          title: 'Burn rate per alert window',
          type: 'timeseries',
          description:
            'Error ratio / error budget over each long window; the alert factors are the thresholds.',
          queries: effectiveTiers(params).map((t) => ({
            expr: `max by (journey, target) (${recorded.errorRatio(t.long)}{${JT}}) / ${errorBudget(params)}`,
            legend: `${t.long} {{journey}} @ {{target}} (alert ${t.factor}x)`,
          })),
          min: 0,
        },
        {
          title: 'Runs by outcome',
          type: 'timeseries',
          description: 'flaky and degraded count as good; error is the prober failing, not the portal.',
          queries: [
            {
              expr: `sum by (outcome) (increase(synthetic_journey_runs_total{${JT}}[$__rate_interval]))`,
              legend: '{{outcome}}',
            },
          ],
          width: 24,
        },
      ],
    },
    {
      title: 'Latency',
      panels: [
        {
          title: 'Step latency',
          type: 'heatmap',
          description: 'Distribution of step durations, all steps of the selected journeys.',
          queries: [
            {
              expr: `sum by (le) (increase(synthetic_journey_step_duration_seconds_bucket{${JT},step=~"$step"}[$__rate_interval]))`,
              legend: '{{le}}',
              format: 'heatmap',
            },
          ],
          unit: 's',
        },
        {
          title: `Journey duration p50 / p95 / p99 (${lw}, passed runs)`,
          type: 'timeseries',
          description: 'From the duration histograms; the latency alert fires on p95 over its budget.',
          queries: (['p50', 'p95', 'p99'] as const).map((q) => ({
            expr: `${recorded.duration(q, lw)}{${JT}}`,
            legend: `${q} {{journey}} @ {{target}}`,
          })),
          unit: 's',
        },
        {
          title: `Step p95 (${lw})`,
          type: 'timeseries',
          description: 'Which step got slow.',
          queries: [
            {
              expr: `${recorded.stepDuration('p95', lw)}{${JT},step=~"$step"}`,
              legend: '{{journey}}: {{step}}',
            },
          ],
          unit: 's',
          width: 24,
        },
      ],
    },
    {
      title: 'Failures',
      panels: [
        {
          title: 'Failures by step and class (time range)',
          type: 'bargauge',
          description: 'One increment per failed run, on its failing step.',
          queries: [
            {
              expr: `sort_desc(sum by (journey, step, class) (increase(synthetic_journey_failures_total{${JT}}[$__range])))`,
              legend: '{{journey}}: {{step}} ({{class}})',
              instant: true,
            },
          ],
        },
        {
          title: `Step failure ratio (${w})`,
          type: 'timeseries',
          description: 'Share of non-error runs that failed at each step.',
          queries: [{ expr: `${recorded.stepFailureRatio(w)}{${JT}}`, legend: '{{journey}}: {{step}}' }],
          unit: 'percentunit',
          min: 0,
        },
        {
          title: 'Skipped runs',
          type: 'timeseries',
          description: 'Runs not started: overlap (previous still running), account_busy, shutdown.',
          queries: [
            {
              expr: `sum by (journey, reason) (increase(synthetic_journey_runs_skipped_total{${JT}}[$__rate_interval]))`,
              legend: '{{journey}}: {{reason}}',
            },
          ],
        },
        {
          title: 'Retries: attempts by outcome',
          type: 'timeseries',
          description:
            'Attempts beyond one per run are retries; many failed attempts in passing runs mean flakiness.',
          queries: [
            {
              expr: `sum by (outcome) (increase(synthetic_journey_attempts_total{${JT}}[$__rate_interval]))`,
              legend: '{{outcome}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Prober health',
      panels: proberPanels(params),
    },
  ];
}

function proberPanels(params: SloParams): PanelSpec[] {
  const job = `job="${params.job}"`;
  return [
    {
      title: 'Scrape up',
      type: 'stat',
      description: 'Prometheus can scrape the prober.',
      queries: [{ expr: `up{${job}}`, legend: '{{instance}}' }],
      threshold: { value: 1 },
      width: 6,
    },
    {
      title: 'Prober errors and browser restarts',
      type: 'timeseries',
      description: 'outcome="error" runs (excluded from the SLI) and browser relaunches.',
      queries: [
        {
          expr: `sum by (journey) (increase(synthetic_journey_runs_total{${JT},outcome="error"}[$__rate_interval]))`,
          legend: 'errors {{journey}}',
        },
        {
          expr: `sum(increase(journey_prober_browser_restarts_total{${job}}[$__rate_interval]))`,
          legend: 'browser restarts',
        },
      ],
      width: 9,
    },
    {
      title: 'In progress, last run age, schedule delay',
      type: 'timeseries',
      description: `A last run older than ${params.silentIntervals} intervals fires JourneyNotRunning.`,
      queries: [
        { expr: `sum by (journey) (synthetic_journey_in_progress{${JT}})`, legend: 'running {{journey}}' },
        {
          expr: `time() - max by (journey, target) (synthetic_journey_last_run_timestamp_seconds{${JT}} > 0)`,
          legend: 'age {{journey}} @ {{target}}',
        },
        {
          expr: `histogram_quantile(0.95, sum by (le) (rate(synthetic_journey_schedule_delay_seconds_bucket{${JT}}[$__rate_interval])))`,
          legend: 'schedule delay p95',
        },
      ],
      unit: 's',
      width: 9,
    },
    {
      title: 'Build and schedules',
      type: 'table',
      description: 'What runs where: prober version, Playwright and browser, each journey schedule.',
      queries: [
        { expr: `journey_prober_build_info{${job}}`, format: 'table', instant: true },
        { expr: `synthetic_journey_info{${JT}}`, format: 'table', instant: true },
        {
          expr: `sum by (journey, target) (increase(synthetic_journey_cleanup_failures_total{${JT}}[$__range]))`,
          format: 'table',
          instant: true,
        },
      ],
      width: 24,
    },
  ];
}
