import { DurationError, seconds } from './duration.js';
import type { SloParams } from './params.js';

/** Parameters that break a rule; `problems` lists every one, not just the first. */
export class ParamsError extends Error {
  override readonly name = 'ParamsError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid SLO parameters: ${problems.join('; ')}`);
  }
}

const JOURNEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels the rules set or aggregate on: an operator's label must not shadow them. */
const RESERVED_LABELS = new Set([
  'severity',
  'component',
  'window',
  'signal',
  'cause',
  'budget',
  'journey',
  'target',
  'location',
  'alertname',
]);

/**
 * Checks parameters before any rule is written: every problem is collected, then one
 * ParamsError names them all.
 */
export function validateParams(params: SloParams): SloParams {
  const problems: string[] = [];
  const dur = (field: string, value: string): number => {
    try {
      return seconds(value);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      problems.push(`${field}: ${error.message}`);
      return Number.NaN;
    }
  };
  const count = (field: string, value: number, min: number): void => {
    if (!Number.isInteger(value) || value < min)
      problems.push(`${field} must be an integer >= ${min}, got ${value}`);
  };
  const ratio = (field: string, value: number): void => {
    if (!(value > 0 && value < 1)) problems.push(`${field} must be a ratio between 0 and 1, got ${value}`);
  };

  ratio('objective', params.objective);
  const scrape = dur('scrapeInterval', params.scrapeInterval);
  for (const field of ['period', 'evaluationInterval', 'periodEvaluationInterval', 'runInterval'] as const) {
    dur(field, params[field]);
  }
  params.burnRate.forEach((tier, i) => {
    const name = `burnRate[${i}]`;
    const long = dur(`${name}.long`, tier.long);
    const short = dur(`${name}.short`, tier.short);
    dur(`${name}.for`, tier.for);
    if (short >= long)
      problems.push(`${name}: short window ${tier.short} must be shorter than long window ${tier.long}`);
    if (!(tier.factor > 0)) problems.push(`${name}.factor must be positive, got ${tier.factor}`);
    // One failed run must never page: that is the whole point of the guard.
    count(`${name}.minFailedRuns`, tier.minFailedRuns, tier.severity === 'page' ? 2 : 1);
    count(`${name}.minRuns`, tier.minRuns, tier.minFailedRuns);
    countIsExact(`${name}.minFailedRuns`, tier.minFailedRuns, long, scrape, problems);
  });
  count('consecutiveFailures.count', params.consecutiveFailures.count, 2);
  ratio('payment.ratio', params.payment.ratio);
  count('payment.minFailedRuns', params.payment.minFailedRuns, 1);
  dur('payment.window', params.payment.window);
  dur('payment.for', params.payment.for);
  for (const field of ['window', 'for'] as const) dur(`latency.${field}`, params.latency[field]);
  count('latency.minRuns', params.latency.minRuns, 1);
  count('silentIntervals', params.silentIntervals, 2);
  // Bad intervals are reported where they are checked; here they only count as 0.
  const orZero = (value: string | undefined): number => {
    try {
      return value === undefined ? 0 : seconds(value);
    } catch {
      return 0;
    }
  };
  const intervals = [params.runInterval, ...Object.values(params.journeys).map((o) => o.interval)];
  const lookback = dur('silentLookback', params.silentLookback);
  if (lookback <= params.silentIntervals * Math.max(...intervals.map(orZero)))
    problems.push(
      `silentLookback ${params.silentLookback} must be longer than silentIntervals x the longest run interval`,
    );
  dur('proberDown.for', params.proberDown.for);
  dur('proberDown.absentFor', params.proberDown.absentFor);
  ratio('proberErrors.ratio', params.proberErrors.ratio);
  count('proberErrors.minErrors', params.proberErrors.minErrors, 1);
  dur('proberErrors.window', params.proberErrors.window);
  dur('proberErrors.for', params.proberErrors.for);
  dur('browserRestarts.window', params.browserRestarts.window);
  count('browserRestarts.count', params.browserRestarts.count, 1);
  for (const [journey, override] of Object.entries(params.journeys)) {
    if (!JOURNEY.test(journey)) problems.push(`journeys: "${journey}" is not a kebab-case journey name`);
    if (override.interval !== undefined) dur(`journeys.${journey}.interval`, override.interval);
  }
  for (const field of ['statusBaseUrl', 'runbookBaseUrl'] as const) {
    if (!URL.canParse(params[field]) || params[field].endsWith('/')) {
      problems.push(`${field} must be an absolute URL without a trailing slash, got "${params[field]}"`);
    }
  }
  if (params.dashboardUrl !== '' && !URL.canParse(params.dashboardUrl))
    problems.push(`dashboardUrl must be an absolute URL or empty, got "${params.dashboardUrl}"`);
  for (const [name, value] of Object.entries(params.alertLabels)) {
    if (!LABEL.test(name)) problems.push(`alertLabels: "${name}" is not a Prometheus label name`);
    else if (RESERVED_LABELS.has(name))
      problems.push(`alertLabels: "${name}" is set by the rules themselves and cannot be overridden`);
    if (value === '') problems.push(`alertLabels.${name} must not be empty`);
  }
  for (const location of params.locations) {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(location))
      problems.push(`locations: "${location}" is not a kebab-case location name`);
  }
  if (new Set(params.locations).size !== params.locations.length)
    problems.push('locations: a location is listed twice');
  if (problems.length > 0) throw new ParamsError(problems);
  return params;
}

/**
 * increase() extrapolates to the window's edges, by at most window / (window - scrape).
 * Rules compare counts with `>= K - 0.5`: K - 1 real events must never extrapolate past it.
 */
function countIsExact(field: string, k: number, window: number, scrape: number, problems: string[]): void {
  if ((k - 1) * (window / (window - scrape)) >= k - 0.5) {
    problems.push(
      `${field}: ${k} events cannot be told from ${k - 1} in a window only ${window / scrape} scrapes long`,
    );
  }
}
