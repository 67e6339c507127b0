import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/http.js';
import { ProberProcess } from '../helpers/process.js';
import { workdir } from '../helpers/serve.js';
import { startFaultSite, type FaultSite } from './fault-site.js';
import { siteJourney } from './site-journey.js';

/**
 * `run --push` while the Pushgateway is down: refusing, answering 500, or accepting the
 * connection and never answering. The verdict and the exit code are the run's; the push
 * failure is one line on stderr; a hanging gateway costs at most the push timeout.
 */
let site: FaultSite;
let gateway: { server: Server; url: string; sockets: Set<Socket> };
let mode: 'error' | 'hang' = 'error';
const work = workdir(
  {
    ok: siteJourney({ name: 'ok', path: '/' }),
    broken: siteJourney({ name: 'broken', path: '/', stepTimeoutMs: 1_500 }).replace(
      "name: 'Welcome'",
      "name: 'Goodbye'",
    ),
  },
  'journeysDir: journeys\ntrace: "off"\n',
);
const PUSH_TIMEOUT_MS = 10_000;

beforeAll(async () => {
  site = await startFaultSite();
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    if (mode === 'hang') return; // the request is read, never answered
    res.writeHead(500, { 'content-type': 'text/plain' }).end('storage full\n');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  gateway = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
});

afterAll(async () => {
  for (const s of gateway?.sockets ?? []) s.destroy();
  await new Promise<void>((resolve) => (gateway ? gateway.server.close(() => resolve()) : resolve()));
  await site?.close();
  rmSync(work.dir, { recursive: true, force: true });
});

async function run(
  journey: string,
  push: string,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  const cli = new ProberProcess(
    [
      'run',
      journey,
      '--base-url',
      site.origin,
      '--push',
      push,
      '--json',
      '--artifacts',
      `${work.dir}/artifacts`,
      '--config',
      work.config,
    ],
    {},
    work.dir,
  );
  const exit = await cli.exited;
  return { code: exit.code, stdout: cli.stdout, stderr: cli.stderr, ms: Date.now() - t0 };
}

const pushLine = (stderr: string): string[] =>
  stderr.split('\n').filter((l) => l.startsWith('journey-prober: push to'));

describe('reliability: the Pushgateway is down', () => {
  it('refused: a failed journey still exits 1 with its verdict; one push line on stderr', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const result = await run('broken', nowhere);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({
      journey: 'broken',
      outcome: 'failure',
      failure: { class: 'timeout' },
    });
    expect(pushLine(result.stderr)).toEqual([
      expect.stringMatching(/^journey-prober: push to http:\/\/127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/),
    ]);
  });

  it('answering 500: a passing journey exits 0; the push line names the status', async () => {
    mode = 'error';
    const result = await run('ok', gateway.url);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ journey: 'ok', outcome: 'success' });
    expect(pushLine(result.stderr)).toEqual([
      expect.stringMatching(/^journey-prober: push to .* failed: .*500/),
    ]);
  });

  it('accepting and never answering: the push gives up after its timeout; verdict and exit code unchanged', async () => {
    mode = 'hang';
    const result = await run('ok', gateway.url);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ journey: 'ok', outcome: 'success' });
    expect(pushLine(result.stderr)).toHaveLength(1);
    expect(result.ms).toBeGreaterThanOrEqual(PUSH_TIMEOUT_MS);
    expect(result.ms).toBeLessThan(PUSH_TIMEOUT_MS + 30_000);
  });
});
