import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { artifactRoutes, ArtifactPathError, parseArtifactPath } from '../../../src/artifacts/serve.js';
import { createApp, startHttpServer, type HttpServer } from '../../../src/server/http.js';
import { rawRequest } from './raw-http.js';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-TREE';
const RUN = 'purchase/sandbox/2026-11-24T10-00-00.000Z-abc';
let base: string;
let root: string;
let server: HttpServer;
let port: number;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'artifacts-serve-'));
  root = join(base, 'root');
  await mkdir(join(root, RUN), { recursive: true });
  await mkdir(join(base, 'outside'));
  await mkdir(join(base, 'root-evil'));
  await writeFile(join(base, 'outside', 'secret.txt'), SECRET);
  await writeFile(join(base, 'root-evil', 'secret.txt'), SECRET);
  await writeFile(join(root, RUN, 'screenshot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  await writeFile(join(root, RUN, 'trace.zip'), 'PK zip bytes');
  await writeFile(join(root, RUN, 'result.json'), '{"outcome":"failure"}');
  await writeFile(join(root, RUN, 'console.log'), '<script>alert(1)</script>\n');
  await writeFile(join(root, RUN, 'page.html'), '<script>alert(1)</script>');
  await symlink(join(base, 'outside'), join(root, 'link-out'));
  await symlink(join(base, 'outside', 'secret.txt'), join(root, RUN, 'link-file.txt'));
  const app = createApp();
  artifactRoutes(app, root);
  server = await startHttpServer({ host: '127.0.0.1', port: 0 }, app, pino({ level: 'silent' }));
  port = server.port;
});

afterAll(async () => {
  await server.close();
  await rm(base, { recursive: true, force: true });
});

describe('GET /artifacts/… serves files of the tree', () => {
  const cases: [string, string][] = [
    ['screenshot.png', 'image/png'],
    ['trace.zip', 'application/zip'],
    ['result.json', 'application/json; charset=utf-8'],
    ['console.log', 'text/plain; charset=utf-8'],
    ['page.html', 'application/octet-stream'],
  ];
  it.each(cases)('%s as %s, nosniff', async (file, type) => {
    const res = await rawRequest(port, `/artifacts/${RUN}/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain('sandbox');
  });

  it('offers the trace as a download', async () => {
    const res = await rawRequest(port, `/artifacts/${RUN}/trace.zip`);
    expect(res.headers['content-disposition']).toBe('attachment; filename="trace.zip"');
    expect(res.body.toString()).toBe('PK zip bytes');
  });

  it('answers HEAD with headers and no body', async () => {
    const res = await rawRequest(port, `/artifacts/${RUN}/result.json`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('21');
    expect(res.body.length).toBe(0);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('refuses %s with 405 and Allow', async (method) => {
    const res = await rawRequest(port, `/artifacts/${RUN}/result.json`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('lists no directories', async () => {
    for (const path of ['/artifacts/', '/artifacts/purchase', `/artifacts/${RUN}`]) {
      const res = await rawRequest(port, path);
      expect(res.status, path).toBe(404);
      expect(res.body.toString()).not.toContain('screenshot');
    }
  });
});

describe('path traversal over HTTP: every attempt is 4xx and leaks nothing', () => {
  const attempts = [
    '/artifacts/../outside/secret.txt',
    '/artifacts/../../../../etc/passwd',
    '/artifacts/purchase/../../outside/secret.txt',
    '/artifacts/%2e%2e/outside/secret.txt',
    '/artifacts/%2E%2E/outside/secret.txt',
    '/artifacts/.%2e/outside/secret.txt',
    '/artifacts/%252e%252e/outside/secret.txt',
    '/artifacts/..%2foutside%2fsecret.txt',
    '/artifacts/....//outside/secret.txt',
    '/artifacts/....//....//outside/secret.txt',
    '/artifacts/..\\outside\\secret.txt',
    '/artifacts/..%5coutside%5csecret.txt',
    '/artifacts/..%5Coutside%5Csecret.txt',
    '/artifacts//etc/passwd',
    '/artifacts/%2fetc%2fpasswd',
    '/artifacts/C:%5cWindows%5cwin.ini',
    `/artifacts/${RUN}/result.json%00.png`,
    '/artifacts/%c0%ae%c0%ae/outside/secret.txt',
    '/artifacts/..;/outside/secret.txt',
    '/artifacts/./purchase/sandbox',
    '/artifacts/.hidden',
    '/artifacts/../root-evil/secret.txt',
    '/artifacts/link-out/secret.txt',
    `/artifacts/${RUN}/link-file.txt`,
    '/artifacts/%',
  ];
  it.each(attempts)('%s', async (path) => {
    const res = await rawRequest(port, path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.toString()).not.toContain(SECRET);
    expect(res.body.toString()).not.toContain('root:');
  });

  it('a raw NUL byte in the request line is refused', async () => {
    const res = await rawRequest(port, `/artifacts/${RUN}/result.json\u0000.png`);
    expect(res.status).toBe(400);
  });

  it('has at least 15 attempts in its table', () => {
    expect(attempts.length).toBeGreaterThanOrEqual(15);
  });
});

describe('parseArtifactPath', () => {
  it('returns decoded plain segments', () => {
    expect(parseArtifactPath('a/b-c_d/e.png')).toEqual(['a', 'b-c_d', 'e.png']);
    expect(parseArtifactPath('a%2Dz/x.json')).toEqual(['a-z', 'x.json']);
  });
  it.each(['', '..', 'a//b', '/a', 'a/.b', 'a\\b', 'a%00', 'a%2fb', '%2e', 'a/b%20c', 'a/b/c/d/e/f/g/h/i'])(
    'refuses %j with an ArtifactPathError',
    (raw) => {
      expect(() => parseArtifactPath(raw)).toThrow(ArtifactPathError);
    },
  );
});
