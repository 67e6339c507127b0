import { failingStep, links, percent, SUBJECT } from './annotations.js';
import { BY_LOCATION, PER_LOCATION } from './locations.js';
import { atLeast, journeyGroups, selector } from './derive.js';
import { duration } from './duration.js';
import { ALERTS, PROBER_CLASSES } from './names.js';
import type { SloParams } from './params.js';
import type { YamlValue } from './yaml.js';

const RUNS = 'synthetic_journey_runs_total';
const prober = (severity: string) => ({ severity, component: 'prober' });

/**
 * No run finished in `silentIntervals` run intervals. Counted on the runs counter (reset
 * safe), for journeys the prober exports now AND exported one window ago: a fresh
 * deployment gets one window to run, and a journey removed from the config is not "silent".
 */
function notRunning(params: SloParams): YamlValue[] {
  const k = params.silentIntervals;
  return journeyGroups(params, 'interval', params.runInterval).map((group) => {
    const w = duration(k * group.seconds);
    const info = `max by (${PER_LOCATION}) (synthetic_journey_info${selector(group.matcher)}`;
    return {
      alert: ALERTS.notRunning,
      expr:
        `${BY_LOCATION} (increase(${RUNS}${selector(group.matcher)}[${w}])) < 0.5\n` +
        `and on (${PER_LOCATION}) ${info})\n` +
        `and on (${PER_LOCATION}) ${info} offset ${w})`,
      labels: { ...prober('ticket'), window: w },
      annotations: {
        summary: `${SUBJECT}: no run finished in ${w}`,
        description:
          `The prober exports ${SUBJECT} but no run of it finished in the last ${w} ` +
          `(${k} run intervals of ${duration(group.seconds)}): the portal is not being measured there. ` +
          `Look for skipped runs (overlap, account_busy) and a stuck browser.`,
        ...links(params, ALERTS.notRunning, true),
      },
    };
  });
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
