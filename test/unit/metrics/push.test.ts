import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJourney } from '../../../src/journey/define.js';
import { PushError, RunPusher } from '../../../src/metrics/push.js';
import { result } from './fixtures.js';

interface Received {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

const received: Received[] = [];
let status = 200;
const server = createServer((req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({
      method: req.method ?? '',
      path: req.url ?? '',
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.writeHead(status);
    res.end(status >= 400 ? 'bad push' : '');
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const purchase = defineJourney({
  name: 'purchase',
  description: 'p',
  steps: ['sign in', 'pay', 'confirm'],
  run: () => Promise.resolve(),
});

describe('RunPusher', () => {
  it('PUTs the group {job, journey, target} with counters accumulated in this process', async () => {
    received.length = 0;
    status = 200;
    const pusher = new RunPusher(url, () => '156.0');
    await pusher.push(purchase, result('failure'));
    await pusher.push(purchase, result('success', { runId: 'second' }));
    expect(received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /metrics/job/journey-prober/journey/purchase/target/sandbox',
      'PUT /metrics/job/journey-prober/journey/purchase/target/sandbox',
    ]);
    const last = received[1]!.body;
    expect(last).toContain(
      'synthetic_journey_runs_total{journey="purchase",target="sandbox",outcome="failure"} 1',
    );
    expect(last).toContain(
      'synthetic_journey_runs_total{journey="purchase",target="sandbox",outcome="success"} 1',
    );
    expect(last).toContain('synthetic_journey_success{journey="purchase",target="sandbox"} 1');
    expect(last).toContain('browser="156.0"');
    expect(last).not.toContain('run_id');
    expect(last).not.toContain('process_cpu');
  });

  it('rejects with a one-line PushError naming the gateway, without its credentials', async () => {
    status = 500;
    const withAuth = url.replace('http://', 'http://user:hunter22@');
    const error = await new RunPusher(withAuth, () => undefined)
      .push(purchase, result('success'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    expect((error as Error).message).toMatch(
      /^push to http:\/\/127\.0\.0\.1:\d+ failed: push failed with status 500/,
    );
    expect((error as Error).message).not.toContain('hunter22');
  });

  it('rejects when nothing listens', async () => {
    const error = await new RunPusher('http://127.0.0.1:1', () => undefined)
      .push(purchase, result('success'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});
