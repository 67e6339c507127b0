import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_SEED, Prng } from './prng.js';
import { rawExchange, startServeHttp, type ServeHttp } from './serve-http.js';

/**
 * 300 generated bad requests to serve's HTTP server (core routes and status pages, as
 * serve wires them), over raw sockets: bad methods, unknown and traversing paths, bad
 * query parameters, huge headers, malformed HTTP. Each is answered 4xx (or, for what is
 * not HTTP at all, the connection is closed) within a bound; the server keeps serving.
 */
interface HttpCase {
  readonly name: string;
  readonly bytes: Buffer;
  /** A status, or `4xx`; `closed-ok` also accepts a connection closed without an answer. */
  readonly expect: number | '4xx' | '4xx-or-closed';
}

const request = (method: string, path: string, headers = ''): Buffer =>
  Buffer.from(
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`,
    'latin1',
  );

const KNOWN = [
  '/metrics',
  '/healthz',
  '/readyz',
  '/',
  '/api/runs',
  '/artifacts/purchase/sandbox/x/screenshot.png',
  '/journeys/purchase',
  '/runs/abc',
];
const TRAVERSAL = [
  '/artifacts/../../etc/passwd',
  '/artifacts/%2e%2e/%2e%2e/etc/passwd',
  '/artifacts/..%2f..%2fetc%2fpasswd',
  '/artifacts/%252e%252e/%252e%252e/etc/passwd',
  '/artifacts/x%00.png',
  '/artifacts//etc/passwd',
  '/artifacts/..\\..\\etc\\passwd',
  '/artifacts/%c0%ae%c0%ae/etc/passwd',
  '/journeys/..%2f..%2fetc',
  '/runs/%2e%2e',
];
const BAD_QUERIES = [
  'limit=-1',
  'limit=abc',
  'limit=1e99',
  'limit=99999999999',
  'limit=',
  'limit=0',
  'limit=1&limit=2',
  'journey=%ZZ',
  'journey=<script>',
  'journey=a/b',
  'outcome=bogus',
  'target=' + 'x'.repeat(200),
  'unknown=1',
  'limit=5&evil=1',
];

function cases(prng: Prng, count: number): HttpCase[] {
  const out: HttpCase[] = [];
  const text = (n: number): string => prng.string(n, 'abcdefghijklmnopqrstuvwxyz0123456789-._~%!$&()*+,;=:@');
  while (out.length < count) {
    switch (prng.int(0, 6)) {
      case 0: {
        const method = prng.pick(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'MKCOL']);
        const path = prng.pick(KNOWN);
        out.push({ name: `${method} ${path}`, bytes: request(method, path), expect: 405 });
        break;
      }
      case 1: {
        const method = prng.pick(['get', 'FOO', 'G E T', 'GET\u0000', '', 'ÄGET']);
        out.push({
          name: `method ${JSON.stringify(method)}`,
          bytes: request(method, prng.pick(KNOWN)),
          expect: 400,
        });
        break;
      }
      case 2: {
        const path =
          prng.next() < 0.5 ? prng.pick(TRAVERSAL) : `/${text(prng.int(1, 40))}/${text(prng.int(0, 40))}`;
        out.push({ name: `GET ${path}`, bytes: request('GET', path), expect: '4xx' });
        break;
      }
      case 3: {
        const query = prng.pick(BAD_QUERIES);
        out.push({
          name: `GET /api/runs?${query}`,
          bytes: request('GET', `/api/runs?${query}`),
          expect: 400,
        });
        break;
      }
      case 4: {
        const size = prng.pick([17_000, 64_000, 300_000]);
        out.push({
          name: `header of ${size} bytes`,
          bytes: request('GET', '/metrics', `X-Big: ${'a'.repeat(size)}\r\n`),
          expect: 431,
        });
        break;
      }
      case 5: {
        const path = `/${'a'.repeat(prng.pick([20_000, 100_000]))}`;
        out.push({ name: `path of ${path.length} bytes`, bytes: request('GET', path), expect: 431 });
        break;
      }
      default: {
        const malformed = [
          'GARBAGE\r\n\r\n',
          'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
          'GET / HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n',
          'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
          'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n',
          'POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n',
          'GET / HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n',
          'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n',
          'GET /\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n',
          'GET / HTTP/1.1\nHost: x\n\n\u0000\u0001',
          `${text(prng.int(1, 30))}\r\n\r\n`,
          'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n',
          '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003', // a TLS ClientHello on plain HTTP
        ];
        const raw = prng.pick(malformed);
        out.push({
          name: `raw ${JSON.stringify(raw.slice(0, 40))}`,
          bytes: Buffer.from(raw, 'latin1'),
          expect: '4xx-or-closed',
        });
      }
    }
  }
  return out;
}

const CASES = cases(new Prng(FUZZ_SEED), 300);
let http: ServeHttp;

beforeAll(async () => {
  http = await startServeHttp();
});

afterAll(async () => {
  await http?.close();
});

describe('fuzz: HTTP requests to serve', () => {
  it(
    `${CASES.length} generated bad requests: 4xx (or closed, for non-HTTP), each within 5 s; serving goes on`,
    { timeout: 120_000 },
    async () => {
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      for (const c of CASES) {
        let status: number;
        try {
          status = (await rawExchange(http.server.port, c.bytes)).status;
        } catch (error) {
          failures.push(`${c.name}: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const fine =
          typeof c.expect === 'number'
            ? status === c.expect
            : (status >= 400 && status < 500) || (c.expect === '4xx-or-closed' && status === 0);
        if (!fine) failures.push(`${c.name}: got ${status}, expected ${c.expect}`);
      }
      console.log(`http fuzz: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
      expect(failures).toEqual([]);
      const healthy = await rawExchange(
        http.server.port,
        Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      );
      expect(healthy.status).toBe(200);
    },
  );

  it('a bad query gets a one-line JSON error naming the parameter', async () => {
    const res = await fetch(`${http.server.url}/api/runs?limit=abc`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'limit must be a whole number from 1 to 500' });
  });
});
