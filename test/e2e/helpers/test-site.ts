import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A tiny local website for end-to-end tests of the runner (and of anything else that
 * drives a real browser): each page provokes one kind of failure for real.
 *
 * | path | behaviour |
 * |---|---|
 * | `/ok` | 200, `<h1>Welcome</h1>` |
 * | `/wrong-text` | 200, `<h1>Goodbye</h1>` |
 * | `/status/NNN` | responds with status NNN and `<h1>Status NNN</h1>` |
 * | `/hang` | never answers (socket kept open until `close()`) |
 * | `/slow?ms=N` | answers `/ok`'s page after N ms (at most 10 s) |
 * | `/close-socket` | destroys the connection without a response (`ERR_EMPTY_RESPONSE`) |
 * | `/xhr-fail` | 200 page whose script fetches `/api/fail` (500) and never shows "Loaded" |
 * | `/flaky/KEY` | 503 on the first request of each KEY, then `/ok`'s page |
 * | `/sign-in` | GET: a form (email, password); POST: sets an HttpOnly `session` cookie |
 * | `/account` | 200 "Signed in as …" with a valid session, else 401 |
 */
export interface TestSite {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The only password `/sign-in` accepts. */
  readonly password: string;
  /** Every session cookie value handed out so far. */
  readonly sessions: readonly string[];
  /** Paths requested so far, in order (without query). */
  readonly requests: readonly string[];
  /** Values of the `X-Synthetic-Journey` request header seen so far. */
  readonly journeyHeaders: readonly string[];
  close(): Promise<void>;
}

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;

const SIGN_IN_FORM = page(
  'Sign in',
  `<form method="post" action="/sign-in">
     <label>Email <input name="email" type="email"></label>
     <label>Password <input name="password" type="password"></label>
     <button type="submit">Sign in</button>
   </form>`,
);

const XHR_FAIL = page(
  'Loading',
  `<h1 id="state">Loading</h1>
   <script>
     fetch('/api/fail?token=abc').then((r) => {
       if (r.ok) document.getElementById('state').textContent = 'Loaded';
     });
   </script>`,
);

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(html);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sessionOf(req: IncomingMessage): string | undefined {
  const match = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '');
  return match?.[1];
}

/** Starts the site on 127.0.0.1 and a free port. Call `close()` in `afterAll`. */
export async function startTestSite(): Promise<TestSite> {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const sessions: string[] = [];
  const requests: string[] = [];
  const journeyHeaders: string[] = [];
  const seenFlaky = new Set<string>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    requests.push(path);
    const header = req.headers['x-synthetic-journey'];
    if (typeof header === 'string') journeyHeaders.push(header);
    const status = /^\/status\/(\d{3})$/.exec(path);
    if (path === '/ok') return send(res, 200, page('OK', '<h1>Welcome</h1>'));
    if (path === '/wrong-text') return send(res, 200, page('Wrong', '<h1>Goodbye</h1>'));
    if (status) return send(res, Number(status[1]), page('Status', `<h1>Status ${status[1]}</h1>`));
    if (path === '/hang') return; // the socket stays open until close()
    if (path === '/close-socket') return void req.socket.destroy();
    if (path === '/xhr-fail') return send(res, 200, XHR_FAIL);
    if (path === '/api/fail') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return void res.end('{"error":"boom"}');
    }
    if (path === '/slow') {
      const ms = Math.min(Number(url.searchParams.get('ms') ?? '0') || 0, 10_000);
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(res, 200, page('OK', '<h1>Welcome</h1>'));
      }, ms);
      timers.add(timer);
      return;
    }
    if (path.startsWith('/flaky/')) {
      if (seenFlaky.has(path)) return send(res, 200, page('OK', '<h1>Welcome</h1>'));
      seenFlaky.add(path);
      return send(res, 503, page('Down', '<h1>Service Unavailable</h1>'));
    }
    if (path === '/sign-in' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      if (form.get('password') !== password) return send(res, 401, SIGN_IN_FORM);
      const session = randomBytes(16).toString('hex');
      sessions.push(session);
      res.writeHead(303, { location: '/account', 'set-cookie': `session=${session}; HttpOnly; Path=/` });
      return void res.end();
    }
    if (path === '/sign-in') return send(res, 200, SIGN_IN_FORM);
    if (path === '/account') {
      const session = sessionOf(req);
      if (session === undefined || !sessions.includes(session))
        return send(res, 401, page('No', '<h1>Unauthorized</h1>'));
      return send(res, 200, page('Account', '<h1>Signed in</h1>'));
    }
    send(res, 404, page('Not found', '<h1>Not found</h1>'));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    password,
    sessions,
    requests,
    journeyHeaders,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bound to get a free one, then closed (connection refused). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
