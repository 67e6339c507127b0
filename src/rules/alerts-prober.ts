import { failingStep, links, percent, SUBJECT } from './annotations.js';
import { BY_LOCATION, PER_LOCATION } from './locations.js';
import { atLeast, journeyGroups, selector } from './derive.js';
import { duration, seconds } from './duration.js';
import { ALERTS, PROBER_CLASSES } from './names.js';
import type { SloParams } from './params.js';
import type { YamlValue } from './yaml.js';

const RUNS = 'synthetic_journey_runs_total';
const prober = (severity: string) => ({ severity, component: 'prober' });

/**
 * No run finished in `silentIntervals` run intervals. Two rules of one alert:
 * - a pair the prober exports now AND exported one window ago with no finished run in the
 *   window, counted on the runs counter (reset safe): a fresh deployment gets one window to
 *   run, and a journey removed from the config is not "silent";
 * - a pair whose replica cannot be scraped (`up == 0`): its series went stale, so the first
 *   rule cannot see it. Remembered for `silentLookback`, it fires once its last run is older
 *   than the window, unless a live replica exports the pair now (it took the pair over).
 */
function notRunning(params: SloParams): YamlValue[] {
  const k = params.silentIntervals;
  return journeyGroups(params, 'interval', params.runInterval).flatMap((group) => {
    const w = duration(k * group.seconds);
    const info = `max by (${PER_LOCATION}) (synthetic_journey_info${selector(group.matcher)}`;
    const labels = { ...prober('ticket'), window: w };
    const every = `(${k} run intervals of ${duration(group.seconds)})`;
    return [
      {
        alert: ALERTS.notRunning,
        expr:
          `${BY_LOCATION} (increase(${RUNS}${selector(group.matcher)}[${w}])) < 0.5\n` +
          `and on (${PER_LOCATION}) ${info})\n` +
          `and on (${PER_LOCATION}) ${info} offset ${w})`,
        labels,
        annotations: {
          summary: `${SUBJECT}: no run finished in ${w}`,
          description:
            `The prober exports ${SUBJECT} but no run of it finished in the last ${w} ` +
            `${every}: the portal is not being measured there. ` +
            `Look for skipped runs (overlap, account_busy) and a stuck browser.`,
          ...links(params, ALERTS.notRunning, true),
        },
      },
      {
        alert: ALERTS.notRunning,
        expr: staleReplicaPairs(params, group.matcher, w),
        // Tells the two rules apart (promtool refuses two rules of one name and label set).
        labels: { ...labels, cause: 'replica_down' },
        annotations: {
          summary: `${SUBJECT}: no run finished in ${w}, its replica is down`,
          description:
            `The replica that ran ${SUBJECT} cannot be scraped (JourneyProberDown names it) and no ` +
            `other replica runs it now: no run finished in the last ${w} ${every}, the portal is ` +
            `not being measured there. It ends when the replica is back or another one takes the pair over.`,
          ...links(params, ALERTS.notRunning, true),
        },
      },
    ];
  });
}

/**
 * The pairs last exported (within `silentLookback`) by a target that is down now, that no
 * live target exports, whose last run is older than `w`. One series per location x pair.
 */
function staleReplicaPairs(params: SloParams, matcher: string, w: string): string {
  const sel = selector(matcher);
  const lookback = params.silentLookback;
  return [
    `max by (${PER_LOCATION}) (`,
    `  max_over_time(synthetic_journey_info${sel}[${lookback}])`,
    `  and on (job, instance) up{job="${params.job}"} == 0`,
    `)`,
    `unless on (${PER_LOCATION}) max by (${PER_LOCATION}) (synthetic_journey_info${sel})`,
    `and on (${PER_LOCATION})`,
    `time() - max by (${PER_LOCATION}) (max_over_time(synthetic_journey_last_run_timestamp_seconds${sel}[${lookback}])) > ${seconds(w)}`,
  ].join('\n');
}

/**
 * No target at all in the job: with `locations` listed, one rule per location (a location
 * whose prober vanished from service discovery), else one for the whole job.
 */
function absent(params: SloParams): YamlValue[] {
  const where = params.locations.length === 0 ? [undefined] : params.locations;
  return where.map((location) => {
    const up =
      location === undefined ? `up{job="${params.job}"}` : `up{job="${params.job}",location="${location}"}`;
    const scope = location === undefined ? `job ${params.job}` : `job ${params.job} in ${location}`;
    return {
      alert: ALERTS.proberAbsent,
      expr: `absent(${up})`,
      for: params.proberDown.absentFor,
      labels: prober('page'),
      annotations: {
        summary: `No journey-prober target in ${scope}`,
        description:
          `Prometheus has no target for ${scope} (service discovery lost it, or it was never ` +
          `deployed) for ${params.proberDown.absentFor}: nothing measures the portal${location === undefined ? '' : ' from there'}.`,
        ...links(params, ALERTS.proberAbsent, false),
      },
    };
  });
}

function down(params: SloParams): YamlValue[] {
  const up = `up{job="${params.job}"}`;
  return [
    {
      alert: ALERTS.proberDown,
      expr: `${up} == 0`,
      for: params.proberDown.for,
      labels: prober('page'),
      annotations: {
        summary: 'journey-prober {{ $labels.instance }} cannot be scraped',
        description:
          `Prometheus has failed to scrape job ${params.job} at {{ $labels.instance }} for ${params.proberDown.for}: ` +
          `the portal journeys it runs are not measured, and their portal alerts are inhibited.`,
        ...links(params, ALERTS.proberDown, false),
      },
    },
    ...absent(params),
  ];
}

function errors(params: SloParams): YamlValue[] {
  const { window: w, ratio, minErrors } = params.proberErrors;
  const errorRuns = `${BY_LOCATION} (increase(${RUNS}{outcome="error"}[${w}]))`;
  const r = params.browserRestarts;
  return [
    {
      alert: ALERTS.proberErrors,
      expr:
        `${errorRuns} ${atLeast(minErrors)}\n` +
        `and on (${PER_LOCATION})\n${errorRuns}\n/ ${BY_LOCATION} (increase(${RUNS}[${w}])) > ${ratio}`,
      for: params.proberErrors.for,
      labels: prober('ticket'),
      annotations: {
        summary: `${SUBJECT}: the prober itself failed {{ $value | printf "%.0f" }} runs in ${w}`,
        description:
          `Over ${percent(ratio)} of the runs of ${SUBJECT} ended in outcome "error" (a prober fault, ` +
          `excluded from the SLI): the portal is measured on fewer runs. ` +
          failingStep(w, `class=~"${PROBER_CLASSES}"`, 'location'),
        ...links(params, ALERTS.proberErrors, true),
      },
    },
    {
      alert: ALERTS.browserRestarts,
      expr: `increase(journey_prober_browser_restarts_total{job="${params.job}"}[${r.window}]) ${atLeast(r.count)}`,
      labels: prober('ticket'),
      annotations: {
        summary: `journey-prober {{ $labels.instance }} relaunched its browser {{ $value | printf "%.0f" }} times in ${r.window}`,
        description:
          `The shared Chromium of {{ $labels.instance }} crashed or hung ${r.count} or more times in ${r.window}; ` +
          `runs caught in a crash end as "error" and do not count in the SLI.`,
        ...links(params, ALERTS.browserRestarts, false),
      },
    },
  ];
}

/** Alerts about the prober, not the portal: component="prober", routed apart. */
export function proberGroup(params: SloParams): YamlValue {
  return {
    name: 'journey-prober-self-alerts',
    interval: params.evaluationInterval,
    rules: [...down(params), ...notRunning(params), ...errors(params)],
  };
}
