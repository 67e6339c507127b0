import { existsSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { textResponse, type App } from './http.js';

/** Where `serve` hosts the viewer (DESIGN.md `GET /trace/…`). */
export const TRACE_PREFIX = '/trace/';

/**
 * The static files of Playwright's trace viewer as the installed playwright-core ships them
 * (`lib/vite/traceViewer`, what `npx playwright show-trace` serves); undefined when absent.
 */
export function traceViewerRoot(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('playwright-core/package.json');
    const root = join(dirname(pkg), 'lib', 'vite', 'traceViewer');
    return existsSync(join(root, 'index.html')) ? root : undefined;
  } catch {
    return undefined;
  }
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
};

/** The viewer's files are named by its build: plain names, one level of folders at most. */
const FILE = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)?[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * `GET /trace/…`: Playwright's trace viewer, from `root`. `/trace/index.html?trace=<url>`
 * opens the trace at `<url>`: its service worker (scope `/trace/`) fetches the zip from
 * `/artifacts/…` on this origin, with the browser's credentials, so the same basic auth
 * covers both. The viewer runs scripts and frames its own snapshots, so its files carry no
 * page CSP, only `nosniff` and same-origin framing. Service workers need a secure context:
 * `https://`, `localhost` or `127.0.0.1`.
 */
export function traceViewerRoutes(app: App, root: string | undefined = traceViewerRoot()): void {
  app.get(TRACE_PREFIX.slice(0, -1), (c) => c.redirect(`${TRACE_PREFIX}${new URL(c.req.url).search}`));
  app.get(`${TRACE_PREFIX}*`, async (c) => {
    if (root === undefined) return textResponse(404, 'the trace viewer is not installed (playwright-core)');
    const rel = new URL(c.req.url).pathname.slice(TRACE_PREFIX.length) || 'index.html';
    if (!FILE.test(rel)) return textResponse(404, `not found: ${TRACE_PREFIX}${rel}`);
    const file = join(root, ...rel.split('/'));
    const info = await lstat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) return textResponse(404, `not found: ${TRACE_PREFIX}${rel}`);
    const body = await readFile(file);
    return new Response(c.req.method === 'HEAD' ? null : body, {
      headers: {
        'content-type': TYPES[extname(rel).toLowerCase()] ?? 'application/octet-stream',
        'content-length': String(body.length),
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      },
    });
  });
  app.all(`${TRACE_PREFIX}*`, (c) =>
    textResponse(405, `method ${c.req.method} not allowed on the trace viewer (allowed: GET, HEAD)`, {
      allow: 'GET, HEAD',
    }),
  );
}
