import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { Logger } from 'pino';
import type { Registry, RegistryContentType } from 'prom-client';
import { UsageError } from '../config/errors.js';
import { renderMetrics } from '../metrics/render.js';
import type { BasicAuth } from './auth.js';

/** Whole request (headers included) must arrive within this. */
const REQUEST_TIMEOUT_MS = 10_000;
const HEADERS_TIMEOUT_MS = 5_000;
/** Idle keep-alive connections (Prometheus keeps one per target) are closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** A response (e.g. a slow render) must be written within this. */
const RESPONSE_TIMEOUT_MS = 30_000;

/** The Hono environment of every app of serve: node's request and response are at hand. */
export interface ServerEnv {
  readonly Bindings: HttpBindings;
}
export type App = Hono<ServerEnv>;
export type AppContext = Context<ServerEnv>;

// ---------------------------------------------------------------------------------------
// Listen address
// ---------------------------------------------------------------------------------------

/** Where `serve` listens. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Outside a container; the Dockerfile sets `PROBER_LISTEN=0.0.0.0:9464`. */
export const DEFAULT_LISTEN = '127.0.0.1:9464';

/** Parses `HOST:PORT` (`[::1]:9464` for IPv6); a bad value is a usage error naming where it came from. */
export function parseListen(value: string, from: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port > 65_535) {
    throw new UsageError(
      `${from} "${value}" must be HOST:PORT with a port from 0 to 65535 (e.g. 127.0.0.1:9464)`,
    );
  }
  return { host: match[1] ?? match[2] ?? '', port };
}

/** The listen address: PROBER_LISTEN, else the config's `listen`, else 127.0.0.1:9464. */
export function resolveListen(env: NodeJS.ProcessEnv, configured: string | undefined): ListenAddress {
  const fromEnv = env.PROBER_LISTEN;
  if (fromEnv !== undefined && fromEnv !== '') return parseListen(fromEnv, 'PROBER_LISTEN');
  if (configured !== undefined) return parseListen(configured, 'config listen');
  return parseListen(DEFAULT_LISTEN, 'default listen');
}

// ---------------------------------------------------------------------------------------
// Responses and the app
// ---------------------------------------------------------------------------------------

/** A plain-text response with a one-line body. */
export function textResponse(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body.endsWith('\n') ? body : `${body}\n`, {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
  });
}

/**
 * The path as it came on the request line, before the URL parser resolved `.`/`..` and
 * `%2e` segments: what path checks must look at.
 */
export function rawPath(c: { readonly env: unknown; readonly req: { readonly url: string } }): string {
  const raw = (c.env as Partial<HttpBindings> | undefined)?.incoming?.url;
  const url = raw ?? new URL(c.req.url).pathname + new URL(c.req.url).search;
  return url.split('?', 1)[0] ?? '';
}

/** A dot segment (`.`, `..`, `%2e`, `.%2e` …) that the URL parser would resolve away. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * A Hono app for serve: unknown paths get 404 naming the path, errors 500 (logged), and a
 * request line with a dot segment is refused (400) before any route sees its resolved path.
 */
export function createApp(log?: Logger): App {
  const app = new Hono<ServerEnv>();
  app.use('*', async (c, next) => {
    if (DOT_SEGMENT.test(rawPath(c))) return textResponse(400, 'path has a "." or ".." segment');
    await next();
  });
  app.notFound((c) => textResponse(404, `not found: ${new URL(c.req.url).pathname}`));
  app.onError((error, c) => {
    log?.error({ err: error, path: new URL(c.req.url).pathname }, 'http handler failed');
    return textResponse(500, 'internal error');
  });
  return app;
}

/** Answers every method but GET and HEAD on `path` with 405 and `Allow` (register after the GET). */
export function refuseOtherMethods(app: App, path: string, allow = 'GET'): void {
  app.all(path, (c) =>
    textResponse(
      405,
      `method ${c.req.method} not allowed on ${new URL(c.req.url).pathname} (allowed: ${allow})`,
      {
        allow,
        connection: 'close',
      },
    ),
  );
}

/** Whether serve is ready for traffic: a reason when it is not. */
export type Readiness = () =>
  { readonly ready: true; readonly detail?: string } | { readonly ready: false; readonly reason: string };

/**
 * `/metrics` (Prometheus text, or OpenMetrics with exemplars when `Accept` asks), `/healthz`,
 * `/readyz`. `metricsAuth`: the basic auth `/metrics` needs (absent: open); the probes are
 * always open, the kubelet has no credentials.
 */
export function coreRoutes(
  registry: Registry<RegistryContentType>,
  readiness: Readiness,
  metricsAuth?: BasicAuth,
): App {
  const app = new Hono<ServerEnv>();
  if (metricsAuth !== undefined) app.use('/metrics', metricsAuth.middleware());
  app.get('/metrics', async (c) => {
    const { contentType, body } = await renderMetrics(registry, c.req.header('accept'));
    return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
  });
  app.get('/healthz', () => textResponse(200, 'ok'));
  app.get('/readyz', () => {
    const state = readiness();
    // `ready`, or `ready (shard 1/3)` for a replica of a scaled-out serve.
    if (state.ready)
      return textResponse(200, state.detail === undefined ? 'ready' : `ready (${state.detail})`);
    return textResponse(503, `not ready: ${state.reason}`);
  });
  for (const path of ['/metrics', '/healthz', '/readyz']) refuseOtherMethods(app, path);
  return app;
}

// ---------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------

/** The address could not be listened on (in use, not permitted, not an address of this host): the operator's to fix. */
export class ListenError extends UsageError {
  override readonly name = 'ListenError';
}

export interface HttpServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, closes idle and then all connections. */
  close(): Promise<void>;
}

/**
 * The HTTP side of serve: a Hono app on node:http (through @hono/node-server), bounded in
 * time per request. A request body is never read: every route is GET.
 */
export async function startHttpServer(address: ListenAddress, app: App, log: Logger): Promise<HttpServer> {
  const listener = getRequestListener(app.fetch, {
    errorHandler: (error) => {
      log.debug({ err: error }, 'bad request');
      return textResponse(400, 'bad request');
    },
  });
  const server = createServer(
    {
      requestTimeout: REQUEST_TIMEOUT_MS,
      headersTimeout: HEADERS_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    },
    (req, res) => {
      res.setTimeout(RESPONSE_TIMEOUT_MS, () => res.destroy());
      void listener(req, res);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new ListenError(`cannot listen on ${address.host}:${address.port}: ${error.code ?? error.message}`),
      );
    });
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${bound.port}`,
    port: bound.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      });
      return closing;
    },
  };
}
