import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request as a route sees it: the parsed URL next to node's request. */
export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly url: URL;
}

export type RouteHandler = (request: RouteRequest, res: ServerResponse) => Promise<void> | void;

/**
 * One entry of the route table. `path` matches exactly; with `prefix: true` it matches
 * the path and everything under it (`/artifacts` serves `/artifacts/…`).
 */
export interface Route {
  readonly method: 'GET';
  readonly path: string;
  readonly prefix?: boolean;
  readonly handler: RouteHandler;
}

/** A plain-text response with a one-line body. */
export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body.endsWith('\n') ? body : `${body}\n`);
}

/**
 * A handler tried when no route of the table matches (the status pages, which own a
 * tree of paths): true when it handled the request.
 */
export type FallbackHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

function matches(route: Route, path: string): boolean {
  if (route.path === path) return true;
  return route.prefix === true && path.startsWith(route.path.endsWith('/') ? route.path : `${route.path}/`);
}

/**
 * Dispatches on a route table, then on the fallbacks: 404 for an unknown path, 405 (with
 * `Allow`) for a known path and another method; HEAD is answered as GET without a body by node.
 */
export function createRouter(
  routes: readonly Route[],
  fallbacks: readonly FallbackHandler[] = [],
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = routes.filter((r) => matches(r, url.pathname));
    if (found.length === 0) {
      for (const fallback of fallbacks) if (await fallback(req, res)) return;
      return sendText(res, 404, `not found: ${url.pathname}`);
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const route = found.find((r) => r.method === method);
    if (route === undefined) {
      const allow = [...new Set(found.map((r) => r.method))].join(', ');
      return sendText(
        res,
        405,
        `method ${req.method ?? '?'} not allowed on ${url.pathname} (allowed: ${allow})`,
        {
          allow,
          connection: 'close',
        },
      );
    }
    await route.handler({ req, url }, res);
  };
}
