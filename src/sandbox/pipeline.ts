import type { SandboxApp } from './app.js';
import { type HttpEffect, type Origin, namesOf } from './faults.js';
import { HttpError, type Router, sendHtml, sendJson } from './http.js';
import { errorPage, outagePage } from './pages/simple.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type { Origin } from './faults.js';

export interface PipelineDeps {
  readonly app: SandboxApp;
  readonly origin: Origin;
  readonly router: Router;
  readonly requests: RequestLog;
  readonly lifecycle: Lifecycle;
}

const STATIC = /^\/(assets\/[\w.-]+\.js|hpm\/payment-form\.js)$/;

function wantsJson(origin: Origin, req: IncomingMessage, path: string): boolean {
  if (path.startsWith('/api/') || path.startsWith('/__sandbox') || path === '/hpm/submit') return true;
  return origin === 'portal' && (req.headers.accept ?? '').startsWith('application/json');
}

function sendError(
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  status: number,
  message: string,
): void {
  if (wantsJson(deps.origin, req, path)) {
    sendJson(res, status, { error: message });
  } else if (deps.origin === 'payment') {
    sendHtml(
      res,
      status,
      `<!doctype html><title>Payment provider error</title><h1>Payment provider error (${status})</h1><p>${status >= 500 ? 'The payment provider is unavailable.' : 'Bad request.'}</p>`,
    );
  } else if (status === 503 && deps.origin === 'portal') {
    deps.app.page({ res }, status, outagePage(status));
  } else {
    deps.app.page({ res }, status, errorPage({ status, title: `Error ${status}`, message }));
  }
}

function faultLabels(effect: HttpEffect | undefined): string[] | undefined {
  if (effect === undefined) return undefined;
  const labels: string[] = [];
  if (effect.latencyMs > 0) labels.push(`latency:${effect.latencyMs}`);
  if (effect.hang) labels.push('hang');
  if (effect.status !== undefined) labels.push(`status:${effect.status}`);
  return labels;
}

/** Every request: record it, apply HTTP faults (not to /__sandbox/), route, and never crash. */
export function createPipeline(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { app, router, requests, lifecycle, origin } = deps;
  return (req, res) => {
    const started = performance.now();
    const startedAt = new Date().toISOString();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    } catch {
      url = new URL('http://sandbox.invalid/');
    }
    const names = namesOf(origin, url.pathname);
    const header = req.headers['x-synthetic-journey'];
    const synthetic = typeof header === 'string' ? header.slice(0, 200) : undefined;
    const trace = req.headers.traceparent;
    const traceparent = typeof trace === 'string' ? trace.slice(0, 100) : undefined;
    let effect: HttpEffect | undefined;
    res.on('close', () => {
      const faults = faultLabels(effect);
      requests.add({
        origin,
        method: req.method ?? 'GET',
        path: url.pathname,
        step: names.step,
        status: res.writableFinished ? res.statusCode : 0,
        startedAt,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ...(synthetic === undefined ? {} : { synthetic }),
        ...(traceparent === undefined ? {} : { traceparent }),
        ...(faults === undefined ? {} : { faults }),
      });
    });
    const run = async (): Promise<void> => {
      if (url.pathname === '/favicon.ico') {
        // The browser asks for it on its own: it must not spend a counted fault.
        res.writeHead(204).end();
        return;
      }
      // Our own static scripts are part of their page: a fault acts on the page, not on them.
      const exempt = names.step === 'control' || STATIC.test(url.pathname);
      effect = exempt ? undefined : app.faults.http(names);
      if (effect !== undefined) {
        app.config.log?.info({ origin, path: url.pathname, step: names.step, effect }, 'sandbox fault fired');
        if (effect.latencyMs > 0) await lifecycle.delay(effect.latencyMs);
        if (effect.hang) {
          await lifecycle.hang();
          res.destroy();
          return;
        }
        if (effect.status !== undefined) {
          sendError(
            deps,
            req,
            res,
            url.pathname,
            effect.status,
            `Injected fault: HTTP ${effect.status} on ${names.step}.`,
          );
          return;
        }
      }
      const match = router.match(req.method ?? 'GET', url.pathname);
      if (match.kind === 'none') throw new HttpError(404, `Not found: ${url.pathname}`);
      if (match.kind === 'method') {
        res.setHeader('allow', match.allowed.join(', '));
        throw new HttpError(
          405,
          `Method ${req.method ?? '?'} not allowed on ${url.pathname}: use ${match.allowed.join(' or ')}`,
        );
      }
      await match.handler({ req, res, url, params: match.params });
    };
    run().catch((error: unknown) => {
      if (error instanceof SandboxClosedError) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendError(deps, req, res, url.pathname, error.status, error.message);
        return;
      }
      app.config.log?.error({ err: error, path: url.pathname }, 'sandbox handler failed');
      sendError(deps, req, res, url.pathname, 500, 'Internal error in the sandbox.');
    });
  };
}

/** One request as the server saw it: `GET /__sandbox/requests` lists these. */
export interface RequestRecord {
  readonly origin: 'portal' | 'payment' | 'gitlab';
  readonly method: string;
  /** Path without the query string (queries may carry tokens). */
  readonly path: string;
  readonly step: string;
  /** 0 when the connection closed before a response (a hang released by close()). */
  readonly status: number;
  readonly startedAt: string;
  /** Server time including injected latency, to the end of the response. */
  readonly durationMs: number;
  /** The `X-Synthetic-Journey` header, when sent. */
  readonly synthetic?: string;
  /** The W3C `traceparent` header, when sent. */
  readonly traceparent?: string;
  /** Names of the faults that acted on it: latency, hang, status. */
  readonly faults?: readonly string[];
}

/** The last `capacity` requests, oldest first. */
export class RequestLog {
  readonly #ring: RequestRecord[] = [];
  #next = 0;

  constructor(readonly capacity = 1000) {}

  add(record: RequestRecord): void {
    if (this.#ring.length < this.capacity) this.#ring.push(record);
    else this.#ring[this.#next] = record;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** Oldest first; optionally only those whose synthetic header starts with `synthetic`. */
  list(filter: { limit?: number; synthetic?: string; step?: string; origin?: string } = {}): RequestRecord[] {
    const ordered =
      this.#ring.length < this.capacity
        ? [...this.#ring]
        : [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
    const kept = ordered.filter(
      (r) =>
        (filter.synthetic === undefined || (r.synthetic ?? '').startsWith(filter.synthetic)) &&
        (filter.step === undefined || r.step === filter.step) &&
        (filter.origin === undefined || r.origin === filter.origin),
    );
    return filter.limit === undefined ? kept : kept.slice(-filter.limit);
  }

  clear(): void {
    this.#ring.length = 0;
    this.#next = 0;
  }
}

/** The sandbox was closed while a request was waiting on an injected delay or hang. */
export class SandboxClosedError extends Error {
  override readonly name = 'SandboxClosedError';
}

/** Injected delays and hangs, all released at once by `close()`. */
export class Lifecycle {
  readonly #controller = new AbortController();

  get closed(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Waits `ms`, or rejects with SandboxClosedError when the sandbox closes first. */
  delay(ms: number): Promise<void> {
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.reject(new SandboxClosedError('sandbox closed'));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new SandboxClosedError('sandbox closed'));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Never resolves on its own: a hanging request waits here until close(). */
  hang(): Promise<void> {
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  close(): void {
    this.#controller.abort();
  }
}
