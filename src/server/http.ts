import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { UsageError } from '../config/errors.js';
import type { ListenAddress } from './listen.js';
import { createRouter, sendText, type FallbackHandler, type Route } from './router.js';

/** Whole request (headers included) must arrive within this. */
const REQUEST_TIMEOUT_MS = 10_000;
const HEADERS_TIMEOUT_MS = 5_000;
/** Idle keep-alive connections (Prometheus keeps one per target) are closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** A response (e.g. a slow render) must be written within this. */
const RESPONSE_TIMEOUT_MS = 30_000;

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
 * The HTTP side of serve: a route table on node:http, GET only (a request body is never
 * read), bounded in time per request, errors answered with 500 and logged.
 */
export async function startHttpServer(
  address: ListenAddress,
  routes: readonly Route[],
  log: Logger,
  fallbacks: readonly FallbackHandler[] = [],
): Promise<HttpServer> {
  const route = createRouter(routes, fallbacks);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    res.setTimeout(RESPONSE_TIMEOUT_MS, () => res.destroy());
    route(req, res).catch((error: unknown) => {
      log.error({ err: error, path: req.url?.split('?')[0] }, 'http handler failed');
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  };
  const server = createServer(
    {
      requestTimeout: REQUEST_TIMEOUT_MS,
      headersTimeout: HEADERS_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    },
    handle,
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
