/**
 * The probe's own tags on its traffic: a W3C Trace Context (https://www.w3.org/TR/trace-context/)
 * per run and the `X-Synthetic-Journey` header, on every request to the target's own origins
 * and never to a third party (DESIGN.md "Targets, secrets, safe mode").
 *
 * One trace per run: a retry is a new attempt of the same run, so one trace id finds every
 * attempt's requests in the portal's backend. Each attempt has a span, each step a span of its
 * own; a request carries the span of the step running when it is sent (the attempt's between
 * steps), so the backend's spans hang below the step that caused them.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserContext } from '@playwright/test';
import type { TargetInfo } from '../journey/types.js';

/** A trace id as the run result, the results log and the exemplars carry it: 32 lowercase hex digits. */
export const TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;

/** Random lowercase hex of `bytes` bytes, never all zeros (an invalid id in W3C Trace Context). */
function randomHex(bytes: number): string {
  const hex = randomBytes(bytes).toString('hex');
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

/** A new random 16-byte trace id. */
export function newTraceId(): string {
  return randomHex(16);
}

/** A new random 8-byte span (parent) id. */
export function newSpanId(): string {
  return randomHex(8);
}

/** The `traceparent` header value: version 00, the trace, the parent span, flags 01 (sampled). */
export function traceparent(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}

/**
 * The target's own origins: the portal's (`baseUrl`) and GitLab.com's (`gitlabUrl`). The
 * payment provider and anything else the pages load are third parties.
 */
export function targetOrigins(target: Pick<TargetInfo, 'baseUrl' | 'gitlabUrl'>): string[] {
  const origins = [target.baseUrl, target.gitlabUrl].flatMap((url) => {
    if (url === undefined) return [];
    try {
      const { origin } = new URL(url);
      return origin.startsWith('http') ? [origin] : [];
    } catch {
      return [];
    }
  });
  return [...new Set(origins)];
}

/**
 * Matches the URLs of `origins` and nothing else: the origin exactly (scheme, host, port as
 * the URL serialises them), then its path. A RegExp, so Playwright matches it in its own
 * layer and hands only the target's requests to the prober's handler.
 */
export function originPattern(origins: readonly string[]): RegExp {
  if (origins.length === 0) return /(?!)/;
  const escaped = origins.map((o) => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^(?:${escaped.join('|')})/`);
}

/** What an attempt's traffic says about itself, and where it goes (an AttemptInput fits). */
export interface TaggedAttempt {
  readonly journey: { readonly name: string };
  readonly target: Pick<TargetInfo, 'baseUrl' | 'gitlabUrl'>;
  readonly runId: string;
  readonly traceId: string;
}

/**
 * The spans of one attempt and the headers its requests carry. Steps are told apart by the
 * tracker's record of the running step (a new object per step), so a step name used twice
 * gets two spans.
 */
export class AttemptTrace {
  readonly spanId = newSpanId();
  readonly #steps = new WeakMap<object, string>();
  readonly #attempt: TaggedAttempt;
  readonly #running: () => object | undefined;

  /** `running`: the record of the step running now, undefined between steps. */
  constructor(attempt: TaggedAttempt, running: () => object | undefined) {
    this.#attempt = attempt;
    this.#running = running;
  }

  /** The span of `step` (the attempt's own when no step runs). */
  spanOf(step: object | undefined): string {
    if (step === undefined) return this.spanId;
    let span = this.#steps.get(step);
    if (span === undefined) this.#steps.set(step, (span = newSpanId()));
    return span;
  }

  /** The headers of a request sent now. */
  headers(): Record<string, string> {
    const { journey, runId, traceId } = this.#attempt;
    return {
      'x-synthetic-journey': `${journey.name}/${runId}`,
      traceparent: traceparent(traceId, this.spanOf(this.#running())),
    };
  }

  /**
   * Tags every request of `context` to the target's origins. `route.fallback`, so a journey's
   * own route handlers (registered later, run first) still decide what happens to a request.
   */
  async install(context: BrowserContext): Promise<void> {
    const origins = targetOrigins(this.#attempt.target);
    if (origins.length === 0) return;
    await context.route(originPattern(origins), (route) =>
      route.fallback({ headers: { ...route.request().headers(), ...this.headers() } }),
    );
  }
}
