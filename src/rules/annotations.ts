import { PROBER_CLASSES } from './names.js';
import type { SloParams } from './params.js';

/**
 * Whom a query in an annotation is about: `journey` (journey x target, every location: a
 * page) or `location` (journey x target in the alert's location; a series without the
 * label matches `location=""`, so one unlabelled location reads the same).
 */
export type Scope = 'journey' | 'location';

/** A PromQL query for one journey x target (and location), as a Go template pipeline for `query`. */
export function forJourney(promql: string, scope: Scope = 'journey'): string {
  // %q quotes the label values as PromQL strings; the query's own quotes are escaped.
  const args =
    scope === 'journey'
      ? '$labels.journey $labels.target'
      : '$labels.journey $labels.target $labels.location';
  return `printf "${promql.replaceAll('"', '\\"')}" ${args} | query`;
}

/** The matchers of a journey x target (and its location) inside a {@link forJourney} query. */
export function journeyMatchers(scope: Scope): string {
  return scope === 'journey' ? 'journey=%[1]q,target=%[2]q' : 'journey=%[1]q,target=%[2]q,location=%[3]q';
}

/**
 * `runbook_url`, `status_url` (the journey's page for journey alerts, `/` otherwise) and,
 * when the operator set a dashboard, `dashboard_url`.
 */
export function links(params: SloParams, alert: string, journeyLevel: boolean): Record<string, string> {
  return {
    runbook_url: `${params.runbookBaseUrl}/${alert}.md`,
    status_url: journeyLevel
      ? `${params.statusBaseUrl}/journeys/{{ $labels.journey }}?target={{ $labels.target }}`
      : `${params.statusBaseUrl}/`,
    ...(params.dashboardUrl === ''
      ? {}
      : {
          dashboard_url: journeyLevel
            ? `${params.dashboardUrl}?var-journey={{ $labels.journey }}&var-target={{ $labels.target }}`
            : params.dashboardUrl,
        }),
  };
}

/** The step and class with most target failures in the window, read when the alert fires. */
export function failingStep(
  window: string,
  classes = `class!~"${PROBER_CLASSES}"`,
  scope: Scope = 'journey',
): string {
  const promql =
    `topk(1, sum by (step, class) (increase(synthetic_journey_failures_total` +
    `{${journeyMatchers(scope)},${classes}}[${window}])) > 0)`;
  return (
    `{{ with ${forJourney(promql, scope)} }}{{ with first . }}Failing step "{{ .Labels.step }}", ` +
    `class {{ .Labels.class }} ({{ .Value | printf "%.0f" }} in ${window}).{{ end }}` +
    `{{ else }}No failing step recorded in ${window}.{{ end }}`
  );
}

function runs(outcome: string, window: string, scope: Scope, by = ''): string {
  return `sum${by}(increase(synthetic_journey_runs_total{${journeyMatchers(scope)},${outcome}}[${window}]))`;
}

/**
 * The journey's error ratio over a window, as a percentage. From the raw counters, not
 * the recording rule: a rule group may run before or after the recording group, and the
 * text must not depend on which.
 */
export function errorRatio(window: string, scope: Scope = 'journey'): string {
  const promql = `${runs('outcome="failure"', window, scope)} / ${runs('outcome!="error"', window, scope)}`;
  return `{{ with ${forJourney(promql, scope)} }}{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}`;
}

/**
 * ` Seen from eu-west (33.33%), us-east (40%).`: the locations whose error ratio over the
 * window is above `threshold`, for a page. Empty when the series carry no location (one
 * location), so a single-location page reads as it always did.
 */
export function seenFrom(window: string, threshold: number): string {
  const by = ' by (location) ';
  const promql = `${runs('outcome="failure"', window, 'journey', by)} / ${runs('outcome!="error"', window, 'journey', by)} > ${threshold}`;
  return (
    `{{ with ${forJourney(promql)} | sortByLabel "location" }}{{ if (first .).Labels.location }} Seen from ` +
    `{{ range $i, $s := . }}{{ if $i }}, {{ end }}{{ $s.Labels.location }} ({{ $s.Value | humanizePercentage }}){{ end }}.` +
    `{{ end }}{{ end }}`
  );
}

/** `journey on target`: how every journey alert names what it is about. */
export const SUBJECT = '{{ $labels.journey }} on {{ $labels.target }}';

/** `journey on target from location`: a location's ticket. */
export const LOCATION_SUBJECT = `${SUBJECT} from {{ $labels.location }}`;

/** `%` text of a ratio: 0.0005 -> `0.05%`. */
export function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}
