import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasicAuth } from '../../../src/server/auth.js';
import { createApp, startHttpServer, type HttpServer } from '../../../src/server/http.js';
import { traceViewerRoot, traceViewerRoutes } from '../../../src/server/trace-viewer.js';
import { statusRoutes } from '../../../src/status/routes.js';
import { rawRequest } from '../artifacts/raw-http.js';
import { sourceOf } from '../status/fixtures.js';

let base: string;
let open: HttpServer;
let guarded: HttpServer;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'trace-viewer-'));
  await mkdir(join(base, 'viewer', 'assets'), { recursive: true });
  await writeFile(join(base, 'viewer', 'index.html'), '<!doctype html><title>viewer</title>');
  await writeFile(join(base, 'viewer', 'sw.bundle.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(join(base, 'viewer', 'assets', 'x.css'), 'body{}');
  await writeFile(join(base, 'secret.txt'), 'OUTSIDE');
  const app = createApp();
  traceViewerRoutes(app, join(base, 'viewer'));
  open = await startHttpServer({ host: '127.0.0.1', port: 0 }, app, log);
  const withAuth = createApp();
  withAuth.route(
    '/',
    statusRoutes({
      runs: sourceOf([]),
      artifactsDir: base,
      now: () => Date.now(),
      auth: new BasicAuth({ username: 'oncall', password: 'pw-trace' }),
      traceViewerRoot: join(base, 'viewer'),
    }),
  );
  guarded = await startHttpServer({ host: '127.0.0.1', port: 0 }, withAuth, log);
});

afterAll(async () => {
  await open?.close();
  await guarded?.close();
  await rm(base, { recursive: true, force: true });
});

describe('GET /trace/… serves Playwright trace viewer', () => {
  it('finds the viewer of the installed playwright-core', () => {
    expect(traceViewerRoot()).toMatch(/playwright-core[/\\]lib[/\\]vite[/\\]traceViewer$/);
  });

  it.each([
    ['/trace/', 'text/html; charset=utf-8', 'viewer'],
    ['/trace/index.html?trace=%2Fartifacts%2Fa%2Ftrace.zip', 'text/html; charset=utf-8', 'viewer'],
    ['/trace/sw.bundle.js', 'text/javascript; charset=utf-8', 'fetch'],
    ['/trace/assets/x.css', 'text/css; charset=utf-8', 'body'],
  ])('%s as %s', async (path, type, text) => {
    const res = await rawRequest(open.port, path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.body.toString()).toContain(text);
  });

  it('redirects /trace to /trace/, keeping the query', async () => {
    const res = await rawRequest(open.port, '/trace?trace=x');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/trace/?trace=x');
  });

  it.each([
    '/trace/../secret.txt',
    '/trace/%2e%2e/secret.txt',
    '/trace/..%2fsecret.txt',
    '/trace/assets/../../secret.txt',
    '/trace/.hidden',
    '/trace/a/b/c.js',
    '/trace/nope.js',
    '/trace/assets',
  ])('refuses %s with a 4xx and leaks nothing', async (path) => {
    const res = await rawRequest(open.port, path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.toString()).not.toContain('OUTSIDE');
  });

  it('refuses other methods with 405', async () => {
    const res = await rawRequest(open.port, '/trace/index.html', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it("is behind the status pages' basic auth", async () => {
    expect((await rawRequest(guarded.port, '/trace/index.html')).status).toBe(401);
    const authorization = `Basic ${Buffer.from('oncall:pw-trace').toString('base64')}`;
    const res = await rawRequest(guarded.port, '/trace/index.html', { headers: { authorization } });
    expect(res.status).toBe(200);
  });

  it('says so when no viewer is installed', async () => {
    const app = createApp();
    traceViewerRoutes(app, join(base, 'no-such-dir'));
    const res = await app.request('/trace/index.html');
    expect(res.status).toBe(404);
  });
});
