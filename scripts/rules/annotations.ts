import { PROBER_CLASSES } from './names.js';
import type { SloParams } from './params.js';

/** A PromQL query for one journey x target, as a Go template pipeline for `query`. */
export function forJourney(promql: string): string {
  // %q quotes the label values as PromQL strings; the query's own quotes are escaped.
  return `printf "${promql.replaceAll('"', '\\"')}" $labels.journey $labels.target | query`;
}

/** `runbook_url` and `status_url`: the journey's page for journey alerts, `/` otherwise. */
export function links(params: SloParams, alert: string, journeyLevel: boolean): Record<string, string> {
  return {
    runbook_url: `${params.runbookBaseUrl}/${alert}.md`,
    status_url: journeyLevel
      ? `${params.statusBaseUrl}/journeys/{{ $labels.journey }}?target={{ $labels.target }}`
      : `${params.statusBaseUrl}/`,
  };
}

/** The step and class with most target failures in the window, read when the alert fires. */
export function failingStep(window: string, classes = `class!~"${PROBER_CLASSES}"`): string {
  const promql =
    `topk(1, sum by (step, class) (increase(synthetic_journey_failures_total` +
    `{journey=%[1]q,target=%[2]q,${classes}}[${window}])) > 0)`;
  return (
    `{{ with ${forJourney(promql)} }}{{ with first . }}Failing step "{{ .Labels.step }}", ` +
    `class {{ .Labels.class }} ({{ .Value | printf "%.0f" }} in ${window}).{{ end }}` +
    `{{ else }}No failing step recorded in ${window}.{{ end }}`
  );
}

/**
 * The journey's error ratio over a window, as a percentage. From the raw counters, not
 * the recording rule: a rule group may run before or after the recording group, and the
 * text must not depend on which.
 */
export function errorRatio(window: string): string {
  const runs = (outcome: string) =>
    `sum(increase(synthetic_journey_runs_total{journey=%[1]q,target=%[2]q,${outcome}}[${window}]))`;
  const promql = `${runs('outcome="failure"')} / ${runs('outcome!="error"')}`;
  return `{{ with ${forJourney(promql)} }}{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}`;
}

/** `journey on target`: how every journey alert names what it is about. */
export const SUBJECT = '{{ $labels.journey }} on {{ $labels.target }}';

/** `%` text of a ratio: 0.0005 -> `0.05%`. */
export function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}
