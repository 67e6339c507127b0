import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxApp } from './app.js';
import { namesOf, type HttpEffect, type Origin } from './faults.js';
import { HttpError, sendHtml, sendJson, type Router } from './http.js';
import { SandboxClosedError, type Lifecycle } from './lifecycle.js';
import { errorPage, outagePage } from './pages/simple.js';
import type { RequestLog } from './request-log.js';

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
