import { errorRatio, failingStep, forJourney, links, percent, SUBJECT } from './annotations.js';
import {
  atLeast,
  effectiveTiers,
  errorBudget,
  journeyGroups,
  selector,
  type EffectiveTier,
} from './derive.js';
import { duration } from './duration.js';
import { ALERTS, GOOD_OUTCOMES, PAYMENT_CLASSES, recorded } from './names.js';
import type { SloParams } from './params.js';
import type { YamlValue } from './yaml.js';

const RUNS = 'synthetic_journey_runs_total';
const portal = (severity: string) => ({ severity, component: 'portal' });

function burn(params: SloParams, tier: EffectiveTier): YamlValue {
  const alert = tier.severity === 'page' ? ALERTS.fastBurn : ALERTS.slowBurn;
  const { long, shortUsed: short } = tier;
  return {
    alert,
    // Value: failed runs in the long window. Each line is a guard; all must hold.
    expr: [
      `${recorded.failedRuns(long)} ${atLeast(tier.minFailedRuns)}`,
      `and ${recorded.runs(long)} ${atLeast(tier.minRuns)}`,
      `and ${recorded.errorRatio(long)} > ${tier.threshold}`,
      `and ${recorded.errorRatio(short)} > ${tier.threshold}`,
    ].join('\n'),
    for: tier.for,
    // Few samples: the short window is empty between sparse failures; bridge the gap
    // instead of resolving and re-notifying (see EffectiveTier.keepFiringFor).
    ...(tier.keepFiringFor === '' ? {} : { keep_firing_for: tier.keepFiringFor }),
    labels: { ...portal(tier.severity), window: long },
    annotations: {
      summary: `${SUBJECT}: error budget burning ${tier.factor}x too fast over ${long}`,
      description:
        `${SUBJECT} failed {{ $value | printf "%.0f" }} runs in ${long} (error ratio ${errorRatio(long)}, ` +
        `threshold ${percent(tier.threshold)} = ${tier.factor} x the ${percent(errorBudget(params))} budget). ` +
        `It fires while failures keep coming within ${short}${tier.keepFiringFor ? ` and for ${tier.keepFiringFor} after` : ''}. ` +
        failingStep(long),
      ...links(params, alert, true),
    },
  };
}

/**
 * N failed runs in a row: over (N + 1/2) run intervals there are N or N+1 runs, so
 * "at least N failures and no good run" holds exactly when the last N runs failed; the
 * half interval absorbs run-time jitter. Counters, not gauges: increase() survives resets.
 */
function consecutive(params: SloParams): YamlValue[] {
  const n = params.consecutiveFailures.count;
  return journeyGroups(params, 'interval', params.runInterval).map((group) => {
    const w = duration(Math.round((n + 0.5) * group.seconds));
    return {
      alert: ALERTS.consecutive,
      expr:
        `sum by (journey, target) (increase(${RUNS}${selector('outcome="failure"', group.matcher)}[${w}])) ${atLeast(n)}\n` +
        `unless on (journey, target)\n` +
        `sum by (journey, target) (increase(${RUNS}${selector(`outcome=~"${GOOD_OUTCOMES}"`, group.matcher)}[${w}])) > 0`,
      labels: { ...portal(params.consecutiveFailures.severity), window: w },
      annotations: {
        summary: `${SUBJECT}: ${n} or more runs failed in a row`,
        description:
          `{{ $value | printf "%.0f" }} runs of ${SUBJECT} failed in the last ${w} and none passed ` +
          `(runs every ${duration(group.seconds)}): the last ${n} or more runs failed. ${failingStep(w)}`,
        ...links(params, ALERTS.consecutive, true),
      },
    };
  });
}

function payment(params: SloParams): YamlValue {
  const { window: w, ratio, minFailedRuns } = params.payment;
  const classes = `class=~"${PAYMENT_CLASSES}"`;
  const perClass =
    `{{ range ${forJourney(`sort_desc(sum by (class) (increase(synthetic_journey_failures_total{journey=%[1]q,target=%[2]q,${classes}}[${w}])) > 0)`)} }}` +
    `{{ .Labels.class }}: {{ .Value | printf "%.0f" }}. {{ end }}`;
  return {
    alert: ALERTS.payment,
    expr: `${recorded.paymentFailures(w)} ${atLeast(minFailedRuns)}\nand ${recorded.paymentRatio(w)} > ${ratio}`,
    for: params.payment.for,
    labels: portal(params.payment.severity),
    annotations: {
      summary: `${SUBJECT}: payments failing in over ${percent(ratio)} of runs`,
      description:
        `{{ $value | printf "%.0f" }} runs of ${SUBJECT} failed at payment in ${w}. ${perClass}` +
        failingStep(w, classes),
      ...links(params, ALERTS.payment, true),
    },
  };
}

function latency(params: SloParams): YamlValue[] {
  const { window: w, minRuns } = params.latency;
  return journeyGroups(params, 'latencyBudget', params.latency.defaultBudget).map((group) => ({
    alert: ALERTS.latency,
    expr:
      `${recorded.duration('p95', w)}${selector(group.matcher)} > ${group.seconds}\n` +
      `and on (journey, target) ${recorded.runs(w)} ${atLeast(minRuns)}`,
    for: params.latency.for,
    labels: { ...portal(params.latency.severity), budget: duration(group.seconds) },
    annotations: {
      summary: `${SUBJECT}: p95 of passed runs over its ${duration(group.seconds)} budget`,
      description:
        `p95 duration of passed runs of ${SUBJECT} is {{ $value | humanizeDuration }} over ${w}, ` +
        `budget ${duration(group.seconds)}, for more than ${params.latency.for}.`,
      ...links(params, ALERTS.latency, true),
    },
  }));
}

/** Alerts about the portal, as customers see it: component="portal". */
export function portalGroup(params: SloParams): YamlValue {
  return {
    name: 'journey-prober-portal-alerts',
    interval: params.evaluationInterval,
    rules: [
      ...effectiveTiers(params).map((tier) => burn(params, tier)),
      ...consecutive(params),
      payment(params),
      ...latency(params),
    ],
  };
}
