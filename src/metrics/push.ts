import { Pushgateway, Registry } from 'prom-client';
import { seriesKey } from '../journey/outcomes.js';
import type { Journey, RunResult } from '../journey/types.js';
import type { ResultSink } from '../sinks/sink.js';
import { createMetrics, type ProberMetrics } from './catalogue.js';
import { recordRun, seedSeries } from './record.js';
import { setBuildInfo } from './runtime.js';

/** The `job` of every group this prober pushes. */
export const PUSH_JOB = 'journey-prober';
const PUSH_TIMEOUT_MS = 10_000;

/** A push to a Pushgateway that did not go through. */
export class PushError extends Error {
  override readonly name = 'PushError';
}

/**
 * Metrics of one-shot runs, pushed to a Pushgateway, one group per journey × target
 * ({job="journey-prober", journey, target}). Each push REPLACES its group (HTTP PUT), so
 * counters hold what this process ran (usually one run), not a total across processes:
 * read the gauges (`synthetic_journey_success`, the last-run and last-success times) and
 * `push_time_seconds`; see docs/serve.md "Pushgateway" for the queries that work.
 */
export class RunPusher {
  readonly #url: string;
  readonly #browserVersion: () => string | undefined;
  readonly #groups = new Map<string, ProberMetrics>();

  constructor(url: string, browserVersion: () => string | undefined) {
    this.#url = url;
    this.#browserVersion = browserVersion;
  }

  #group(journey: Journey, target: string, latencyBudgetMs: number | undefined): ProberMetrics {
    const key = seriesKey({ journey: journey.name, target });
    let metrics = this.#groups.get(key);
    if (metrics === undefined) {
      // Prometheus-format registry: the Pushgateway reads its text, and ignores exemplars anyway.
      metrics = createMetrics(new Registry(), { exemplars: false });
      seedSeries(metrics, {
        journey: journey.name,
        target,
        ...(journey.steps ? { steps: journey.steps } : {}),
        ...(latencyBudgetMs === undefined ? {} : { latencyBudgetMs }),
      });
      this.#groups.set(key, metrics);
    }
    return metrics;
  }

  /** Records one run in its group and pushes the group; rejects with PushError. */
  async push(journey: Journey, result: RunResult, latencyBudgetMs?: number): Promise<void> {
    const metrics = this.#group(journey, result.target, latencyBudgetMs);
    recordRun(metrics, result);
    setBuildInfo(metrics, this.#browserVersion());
    const gateway = new Pushgateway(this.#url, { timeout: PUSH_TIMEOUT_MS }, metrics.registry);
    try {
      await gateway.push({
        jobName: PUSH_JOB,
        groupings: { journey: result.journey, target: result.target },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new PushError(`push to ${redactUrl(this.#url)} failed: ${reason}`);
    }
  }
}

/** A URL without credentials or query string, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'the Pushgateway';
  }
}

/**
 * `run --push URL` as a result sink: each run pushed as it finishes. A push that fails is
 * reported through `warn` and never changes the verdict or the exit code.
 */
export function pushSink(pusher: RunPusher, warn: (line: string) => void): ResultSink {
  return {
    name: 'push',
    onResult: (result, run) =>
      pusher.push(run.journey, result, run.latencyBudgetMs).catch((error: unknown) => {
        warn(`journey-prober: ${error instanceof Error ? error.message : String(error)}`);
      }),
  };
}
