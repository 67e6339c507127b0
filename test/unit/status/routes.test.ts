import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { BasicAuth } from '../../../src/server/auth.js';
import { createApp, startHttpServer, type HttpServer } from '../../../src/server/http.js';
import { statusRoutes, type StatusRoutesOptions } from '../../../src/status/routes.js';
import { rawRequest } from '../artifacts/raw-http.js';
import { NOW, run, sourceOf } from './fixtures.js';

let root: string;
const servers: HttpServer[] = [];
let open: number;
let guarded: number;

const failed = run('failure', 2);
const passed = run('success', 1);

/** The status routes mounted on an app whose own answer (299) tells "not a status route". */
async function start(options: StatusRoutesOptions): Promise<number> {
  const app = createApp();
  app.route('/', statusRoutes(options));
  app.notFound(
    () => new Response('not a status route', { status: 299, headers: { 'content-type': 'text/plain' } }),
  );
  const server = await startHttpServer({ host: '127.0.0.1', port: 0 }, app, pino({ level: 'silent' }));
  servers.push(server);
  return server.port;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'status-routes-'));
  const dir = join(root, 'purchase', 'sandbox', 'r1');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'screenshot.png'), 'png');
  await writeFile(join(dir, 'console.log'), '[+0.1s] console.error: <b>boom</b>\n');
  await writeFile(
    join(dir, 'requests.json'),
    JSON.stringify([{ method: 'POST', url: 'http://x/pay', status: 503 }]),
  );
  const withArtifacts = {
    ...failed,
    artifacts: {
      dir,
      screenshot: join(dir, 'screenshot.png'),
      console: join(dir, 'console.log'),
      requests: join(dir, 'requests.json'),
    },
  };
  const base = {
    runs: sourceOf([withArtifacts, passed, run('success', 3, { journey: 'renewal' })]),
    artifactsDir: root,
    now: () => NOW,
    schedules: () => [
      {
        journey: 'seat-change',
        target: 'sandbox',
        schedule: '*/5 * * * *',
        nextRunAt: new Date(NOW + 60_000),
      },
    ],
  };
  open = await start(base);
  guarded = await start({ ...base, auth: new BasicAuth({ username: 'oncall', password: 'pw' }) });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(root, { recursive: true, force: true });
});

describe('status routes', () => {
  it('GET / lists every journey × target with runs or a schedule', async () => {
    const res = await rawRequest(open, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const body = res.body.toString();
    for (const link of [
      '/journeys/purchase?target=sandbox',
      '/journeys/renewal?target=sandbox',
      '/journeys/seat-change?target=sandbox',
    ]) {
      expect(body).toContain(`href="${link.replace('&', '&amp;')}"`);
    }
    expect(body).toContain('not scheduled');
    expect(body).toContain('*/5 * * * *');
  });

  it('the journey page shows the failure with its evidence, escaped', async () => {
    const body = (await rawRequest(open, '/journeys/purchase?target=sandbox')).body.toString();
    expect(body).toContain('payment_declined');
    expect(body).toContain('Your card was declined');
    expect(body).toContain('src="/artifacts/purchase/sandbox/r1/screenshot.png"');
    expect(body).toContain('console.error: &lt;b&gt;boom&lt;/b&gt;');
    expect(body).toContain('http://x/pay');
  });

  it('the run page has the run; unknown runs and journeys are 404', async () => {
    expect((await rawRequest(open, `/runs/${failed.runId}`)).status).toBe(200);
    expect((await rawRequest(open, '/runs/no-such-run')).status).toBe(404);
    expect((await rawRequest(open, '/journeys/nope')).status).toBe(404);
    expect((await rawRequest(open, '/journeys/purchase?target=%3Cx%3E')).status).toBe(404);
  });

  it('/api/runs answers JSON, 400 with a clear error for bad params', async () => {
    const ok = await rawRequest(open, '/api/runs?journey=purchase&limit=1');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString())).toMatchObject({
      count: 1,
      limit: 1,
      runs: [{ runId: passed.runId }],
    });
    const bad = await rawRequest(open, '/api/runs?limit=1000');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString())).toEqual({ error: 'limit must be from 1 to 500' });
  });

  it('refuses other methods with 405', async () => {
    for (const path of ['/', '/api/runs', `/runs/${failed.runId}`]) {
      const res = await rawRequest(open, path, { method: 'POST' });
      expect(res.status, path).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
  });

  it('leaves other paths to the server', async () => {
    for (const path of ['/metrics', '/healthz', '/readyz', '/journeys', '/runs/a/b']) {
      expect((await rawRequest(open, path)).status, path).toBe(299);
    }
  });
});

describe('basic auth on the status routes', () => {
  const good = { authorization: `Basic ${Buffer.from('oncall:pw').toString('base64')}` };
  const paths = [
    '/',
    '/journeys/purchase?target=sandbox',
    `/runs/${failed.runId}`,
    '/api/runs',
    '/artifacts/purchase/sandbox/r1/screenshot.png',
  ];

  it.each(paths)('%s needs credentials (401 + WWW-Authenticate), then works', async (path) => {
    const denied = await rawRequest(guarded, path);
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toMatch(/^Basic realm=/);
    const wrong = await rawRequest(guarded, path, {
      headers: { authorization: `Basic ${Buffer.from('oncall:nope').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    expect((await rawRequest(guarded, path, { headers: good })).status).toBe(200);
  });

  it('does not guard /metrics, /healthz, /readyz (they are not status routes)', async () => {
    for (const path of ['/metrics', '/healthz', '/readyz'])
      expect((await rawRequest(guarded, path)).status).toBe(299);
  });
});
