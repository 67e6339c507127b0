import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createExemplarRegistry, createMetrics } from '../../../src/metrics/catalogue.js';
import { openResults } from '../../../src/results/results.js';
import { coreRoutes, createApp, startHttpServer, type HttpServer } from '../../../src/server/http.js';
import { statusRoutes } from '../../../src/status/routes.js';
import { scheduleInfos } from '../../../src/status/series.js';

/** serve's HTTP side as serve assembles it (core routes, then the status pages), without a browser. */
export interface ServeHttp {
  readonly server: HttpServer;
  close(): Promise<void>;
}

export async function startServeHttp(): Promise<ServeHttp> {
  const dir = mkdtempSync(join(tmpdir(), 'prober-http-fuzz-'));
  const log = pino({ level: 'silent' });
  const results = await openResults({ path: join(dir, 'runs.jsonl'), maxBytes: 1_000_000, retainRuns: 100 });
  const registry = createExemplarRegistry();
  createMetrics(registry, { exemplars: true });
  const app = createApp(log);
  app.route(
    '/',
    coreRoutes(registry, () => ({ ready: true })),
  );
  app.route(
    '/',
    statusRoutes({
      runs: results,
      artifactsDir: join(dir, 'artifacts'),
      now: () => Date.now(),
      schedules: scheduleInfos([
        {
          id: 'purchase@sandbox',
          journey: { name: 'purchase' },
          target: 'sandbox',
          cron: '*/5 * * * *',
          timezone: undefined,
        },
      ]),
    }),
  );
  const server = await startHttpServer({ host: '127.0.0.1', port: 0 }, app, log);
  return {
    server,
    async close() {
      await server.close();
      await results.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The status code a raw exchange got: 0 when the server closed without answering. */
export function rawExchange(
  port: number,
  bytes: Buffer,
  timeoutMs = 5_000,
): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no answer within ${timeoutMs} ms to ${JSON.stringify(bytes.toString('latin1').slice(0, 120))}`,
        ),
      );
    }, timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One answer is all we need: the status line and headers are in.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', () => undefined); // a reset is an answer too: "closed"
    socket.on('close', () => {
      clearTimeout(timer);
      const head = Buffer.concat(chunks).toString('latin1').split('\r\n\r\n')[0] ?? '';
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head });
    });
  });
}
