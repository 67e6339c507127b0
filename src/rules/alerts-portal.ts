import {
  errorRatio,
  failingStep,
  forJourney,
  journeyMatchers,
  links,
  LOCATION_SUBJECT,
  percent,
  seenFrom,
  SUBJECT,
  type Scope,
} from './annotations.js';
import {
  atLeast,
  effectiveTiers,
  errorBudget,
  journeyGroups,
  selector,
  type EffectiveTier,
} from './derive.js';
import { duration } from './duration.js';
import { BY_LOCATION, PER_LOCATION, seenFromEnoughLocations, seenFromOneOfSeveral } from './locations.js';
import { ALERTS, GOOD_OUTCOMES, PAYMENT_CLASSES, recorded } from './names.js';
import type { SloParams } from './params.js';
import type { YamlValue } from './yaml.js';

const RUNS = 'synthetic_journey_runs_total';
const BUDGET = 'synthetic_journey_latency_budget_seconds';

/**
 * A portal alert before it is split by location: the condition per location (valued with
 * failed runs), the series telling which locations measure the journey, and its text.
 */
interface PortalSignal {
  readonly alert: string;
  readonly condition: string;
  readonly measured: string;
  readonly for?: string;
  readonly keepFiringFor?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
  /** The description for a scope: the page's reads every location, the ticket's its own. */
  readonly description: (scope: Scope) => string;
  /** Window and threshold of the error ratio that names the locations on a page. */
  readonly seen: { readonly window: string; readonly threshold: number };
}

function timing(signal: PortalSignal): Record<string, string> {
  return {
    ...(signal.for === undefined ? {} : { for: signal.for }),
    // Few samples: the short window is empty between sparse failures; bridge the gap
    // instead of resolving and re-notifying (see EffectiveTier.keepFiringFor).
    ...(signal.keepFiringFor === undefined || signal.keepFiringFor === ''
      ? {}
      : { keep_firing_for: signal.keepFiringFor }),
  };
}

/**
 * A paging signal becomes two rules: the page, when the failure is seen from 2 locations
 * or from the only one (one alert whatever the number of locations), and the ticket of a
 * location that sees it alone among several (inhibited by the page in Alertmanager).
 */
function page(params: SloParams, signal: PortalSignal): YamlValue[] {
  const { window, threshold } = signal.seen;
  return [
    {
      alert: signal.alert,
      expr: seenFromEnoughLocations(signal.condition, signal.measured),
      ...timing(signal),
      labels: { ...signal.labels, severity: 'page', component: 'portal' },
      annotations: {
        summary: `${SUBJECT}: ${signal.summary}`,
        description: signal.description('journey') + seenFrom(window, threshold),
        ...links(params, signal.alert, true),
      },
    },
    {
      alert: ALERTS.location,
      expr: seenFromOneOfSeveral(signal.condition, signal.measured),
      ...timing(signal),
      labels: { ...signal.labels, severity: 'ticket', component: 'portal', signal: signal.alert },
      annotations: {
        summary: `${LOCATION_SUBJECT} only: ${signal.summary}`,
        description:
          `Seen from {{ $labels.location }}; a page only when a second location sees it too (the page ` +
          `then inhibits this ticket). Look at that location's network and prober first. ${signal.description('location')}`,
        ...links(params, ALERTS.location, true),
      },
    },
  ];
}

/** A ticket: per location, as any other location-level alert. */
function ticket(params: SloParams, signal: PortalSignal): YamlValue {
  return {
    alert: signal.alert,
    expr: signal.condition,
    ...timing(signal),
    labels: { ...signal.labels, severity: 'ticket', component: 'portal' },
    annotations: {
      summary: `${SUBJECT}: ${signal.summary}`,
      description: signal.description('location'),
      ...links(params, signal.alert, true),
    },
  };
}

function split(params: SloParams, severity: string, signal: PortalSignal): YamlValue[] {
  return severity === 'page' ? page(params, signal) : [ticket(params, signal)];
}

function burn(params: SloParams, tier: EffectiveTier): YamlValue[] {
  const { long, shortUsed: short } = tier;
  return split(params, tier.severity, {
    alert: tier.severity === 'page' ? ALERTS.fastBurn : ALERTS.slowBurn,
    // Value: failed runs in the long window. Each line is a guard; all must hold.
    condition: [
      `${recorded.failedRuns(long)} ${atLeast(tier.minFailedRuns)}`,
      `and ${recorded.runs(long)} ${atLeast(tier.minRuns)}`,
      `and ${recorded.errorRatio(long)} > ${tier.threshold}`,
      `and ${recorded.errorRatio(short)} > ${tier.threshold}`,
    ].join('\n'),
    measured: recorded.runs(long),
    for: tier.for,
    keepFiringFor: tier.keepFiringFor,
    labels: { window: long },
    summary: `error budget burning ${tier.factor}x too fast over ${long}`,
    description: (scope) =>
      `${SUBJECT} failed {{ $value | printf "%.0f" }} runs in ${long} (error ratio ${errorRatio(long, scope)}, ` +
      `threshold ${percent(tier.threshold)} = ${tier.factor} x the ${percent(errorBudget(params))} budget). ` +
      `It fires while failures keep coming within ${short}${tier.keepFiringFor ? ` and for ${tier.keepFiringFor} after` : ''}. ` +
      failingStep(long, undefined, scope),
    seen: { window: long, threshold: tier.threshold },
  });
}

/**
 * N failed runs in a row: over (N + 1/2) run intervals there are N or N+1 runs, so
 * "at least N failures and no good run" holds exactly when the last N runs failed; the
 * half interval absorbs run-time jitter. Counters, not gauges: increase() survives resets.
 */
function consecutive(params: SloParams): YamlValue[] {
  const n = params.consecutiveFailures.count;
  return journeyGroups(params, 'interval', params.runInterval).flatMap((group) => {
    const w = duration(Math.round((n + 0.5) * group.seconds));
    return split(params, params.consecutiveFailures.severity, {
      alert: ALERTS.consecutive,
      condition:
        `${BY_LOCATION} (increase(${RUNS}${selector('outcome="failure"', group.matcher)}[${w}])) ${atLeast(n)}\n` +
        `unless on (${PER_LOCATION})\n` +
        `${BY_LOCATION} (increase(${RUNS}${selector(`outcome=~"${GOOD_OUTCOMES}"`, group.matcher)}[${w}])) > 0`,
      measured: `${BY_LOCATION} (increase(${RUNS}${selector(group.matcher)}[${w}]))`,
      labels: { window: w },
      summary: `${n} or more runs failed in a row`,
      description: (scope) =>
        `{{ $value | printf "%.0f" }} runs of ${SUBJECT} failed in the last ${w} and none passed ` +
        `(runs every ${duration(group.seconds)}): the last ${n} or more runs failed. ${failingStep(w, undefined, scope)}`,
      // Every run failed: any location with failures over the window is one that sees it.
      seen: { window: w, threshold: 0 },
    });
  });
}

function payment(params: SloParams): YamlValue[] {
  const { window: w, ratio, minFailedRuns } = params.payment;
  const classes = `class=~"${PAYMENT_CLASSES}"`;
  const perClass = (scope: Scope): string =>
    `{{ range ${forJourney(`sort_desc(sum by (class) (increase(synthetic_journey_failures_total{${journeyMatchers(scope)},${classes}}[${w}])) > 0)`, scope)} }}` +
    `{{ .Labels.class }}: {{ .Value | printf "%.0f" }}. {{ end }}`;
  return split(params, params.payment.severity, {
    alert: ALERTS.payment,
    condition: `${recorded.paymentFailures(w)} ${atLeast(minFailedRuns)}\nand ${recorded.paymentRatio(w)} > ${ratio}`,
    measured: recorded.runs(w),
    for: params.payment.for,
    labels: {},
    summary: `payments failing in over ${percent(ratio)} of runs`,
    description: (scope) =>
      `{{ $value | printf "%.0f" }} runs of ${SUBJECT} failed at payment in ${w}. ${perClass(scope)}` +
      failingStep(w, classes, scope),
    seen: { window: w, threshold: 0 },
  });
}

/**
 * The journey's own budget (`latencyBudgetMs`, exported by the prober as
 * synthetic_journey_latency_budget_seconds): the number that makes a run `degraded` is the
 * number the alert compares with. A journey without a budget has no latency alert.
 */
function latency(params: SloParams): YamlValue {
  const { window: w, minRuns } = params.latency;
  const budget =
    `{{ with ${forJourney(`max(${BUDGET}{${journeyMatchers('location')}})`, 'location')} }}` +
    `{{ . | first | value | humanizeDuration }}{{ else }}unknown{{ end }}`;
  return {
    alert: ALERTS.latency,
    expr:
      `${recorded.duration('p95', w)}\n> on (${PER_LOCATION}) max by (${PER_LOCATION}) (${BUDGET})\n` +
      `and on (${PER_LOCATION}) ${recorded.runs(w)} ${atLeast(minRuns)}`,
    for: params.latency.for,
    labels: { severity: params.latency.severity, component: 'portal', budget },
    annotations: {
      summary: `${SUBJECT}: p95 of passed runs over its ${budget} budget`,
      description:
        `p95 duration of passed runs of ${SUBJECT} is {{ $value | humanizeDuration }} over ${w}, ` +
        `budget ${budget}, for more than ${params.latency.for}.`,
      ...links(params, ALERTS.latency, true),
    },
  };
}

/** Alerts about the portal, as customers see it: component="portal". */
export function portalGroup(params: SloParams): YamlValue {
  return {
    name: 'journey-prober-portal-alerts',
    interval: params.evaluationInterval,
    rules: [
      ...effectiveTiers(params).flatMap((tier) => burn(params, tier)),
      ...consecutive(params),
      ...payment(params),
      latency(params),
    ],
  };
}
