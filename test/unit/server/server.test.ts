import { request } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/config/errors.js';
import { BasicAuth } from '../../../src/server/auth.js';
import { createExemplarRegistry, createMetrics } from '../../../src/metrics/catalogue.js';
import { seedSeries } from '../../../src/metrics/record.js';
import {
  coreRoutes,
  createApp,
  parseListen,
  resolveListen,
  startHttpServer,
  type HttpServer,
} from '../../../src/server/http.js';

describe('listen address', () => {
  it.each([
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    ['[::1]:9464', { host: '::1', port: 9464 }],
    ['localhost:8080', { host: 'localhost', port: 8080 }],
  ])('%s', (value, expected) => {
    expect(parseListen(value, 'PROBER_LISTEN')).toEqual(expected);
  });

  it.each(['9464', '127.0.0.1', '127.0.0.1:70000', ':9464', '127.0.0.1:port', 'a b:1'])(
    'rejects %s with a usage error naming the source',
    (value) => {
      expect(() => parseListen(value, 'PROBER_LISTEN')).toThrow(UsageError);
      expect(() => parseListen(value, 'PROBER_LISTEN')).toThrow(`PROBER_LISTEN "${value}" must be HOST:PORT`);
    },
  );

  it('takes PROBER_LISTEN, else the config, else 127.0.0.1:9464', () => {
    expect(resolveListen({ PROBER_LISTEN: '0.0.0.0:1234' }, '127.0.0.1:5')).toEqual({
      host: '0.0.0.0',
      port: 1234,
    });
    expect(resolveListen({}, '127.0.0.1:5')).toEqual({ host: '127.0.0.1', port: 5 });
    expect(resolveListen({}, undefined)).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(() => resolveListen({}, 'nope')).toThrow('config listen "nope" must be HOST:PORT');
  });
});

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function call(
  url: string,
  method = 'GET',
  headers: Record<string, string> = {},
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTP server: /metrics behind basic auth', () => {
  it('needs the credentials on /metrics, never on /healthz and /readyz', async () => {
    const app = createApp();
    const auth = new BasicAuth({ username: 'prometheus', password: 'scrape-secret' });
    app.route(
      '/',
      coreRoutes(createExemplarRegistry(), () => ({ ready: true }), auth),
    );
    const basic = `Basic ${Buffer.from('prometheus:scrape-secret').toString('base64')}`;
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Basic eDp5' } })).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: basic } })).status).toBe(200);
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(200);
  });
});

describe('HTTP server: core routes', () => {
  let server: HttpServer;
  let ready: { ready: true } | { ready: false; reason: string } = {
    ready: false,
    reason: 'browser not launched',
  };
  beforeAll(async () => {
    const registry = createExemplarRegistry();
    seedSeries(createMetrics(registry, { exemplars: true }), {
      journey: 'purchase',
      target: 'sandbox',
      schedule: '*/5 * * * *',
    });
    const app = createApp();
    app.route(
      '/',
      coreRoutes(registry, () => ready),
    );
    server = await startHttpServer({ host: '127.0.0.1', port: 0 }, app, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves Prometheus text by default and OpenMetrics when asked', async () => {
    const text = await call(`${server.url}/metrics`);
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text.body).toContain(
      'synthetic_journey_runs_total{journey="purchase",target="sandbox",outcome="success"} 0',
    );
    const om = await call(`${server.url}/metrics`, 'GET', {
      accept: 'application/openmetrics-text; version=1.0.0',
    });
    expect(om.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(om.body.endsWith('# EOF\n')).toBe(true);
  });

  it('says alive on /healthz and ready only when ready on /readyz', async () => {
    expect(await call(`${server.url}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await call(`${server.url}/readyz`)).toMatchObject({
      status: 503,
      body: 'not ready: browser not launched\n',
    });
    ready = { ready: true };
    expect(await call(`${server.url}/readyz`)).toMatchObject({ status: 200, body: 'ready\n' });
  });

  it('answers 404 for an unknown path and 405 with Allow for another method', async () => {
    expect(await call(`${server.url}/nope?x=1`)).toMatchObject({ status: 404, body: 'not found: /nope\n' });
    const post = await call(
      `${server.url}/metrics`,
      'POST',
      { 'content-type': 'text/plain' },
      'x'.repeat(10_000),
    );
    expect(post).toMatchObject({ status: 405, body: 'method POST not allowed on /metrics (allowed: GET)\n' });
    expect(post.headers.allow).toBe('GET');
  });

  it('answers HEAD like GET without a body', async () => {
    const head = await call(`${server.url}/healthz`, 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
  });

  it('names the address when it cannot listen, as a usage error', async () => {
    const port = Number(new URL(server.url).port);
    const error = await startHttpServer(
      { host: '127.0.0.1', port },
      createApp(),
      pino({ level: 'silent' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
  });
});
