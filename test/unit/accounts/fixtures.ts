import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { defineJourney } from '../../../src/journey/define.js';

/** A journey that needs an account in `accountState` and does nothing with it. */
export const journey = (accountState: 'none' | 'active' | 'renewable' = 'active') =>
  defineJourney({ name: 'j', description: 'd', accountState, run: async () => {} });

/** A stand-in for the sandbox's account endpoint: what it was asked, where it listens. */
export interface FakeAccountServer {
  /** `http://127.0.0.1:PORT`, once the describe block's beforeAll ran. */
  readonly url: string;
  /** The JSON body of every request so far. */
  readonly requests: readonly unknown[];
}

/**
 * Registers beforeAll/afterAll (call it inside a describe block): a server on a free port
 * that answers every request with `account` as JSON.
 */
export function fakeAccountServer(account: Record<string, unknown>): FakeAccountServer {
  let server: Server | undefined;
  let url = '';
  const requests: unknown[] = [];
  beforeAll(async () => {
    const listening = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push(JSON.parse(body));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(account));
      });
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const address = listening.address();
    url = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '';
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  return {
    get url() {
      return url;
    },
    requests,
  };
}
