import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

/**
 * A local site that handles credentials the way real ones do, and worse, for the leak and
 * evidence tests of the runner:
 *
 * | path | behaviour |
 * |---|---|
 * | `/sign-in` | a form; its script (a "session replay") gzips and deflates the typed password and POSTs it to `/rum` before submitting |
 * | `POST /sign-in` | sets `_session` and `remember_token`, redirects to `/account` |
 * | `/account` | rotates `_session` on every request (Rails does); its script sends a bearer token, Basic credentials, tokens in query strings (`sid` known only from the run's `secretQueryParams`), logs the token on the console, and fetches gzip/deflate/br blobs holding the password |
 * | `/sign-out` | clears both cookies (`Max-Age=0`), redirects to `/signed-out` |
 * | `/flood?lines=N` | logs N console lines (every tenth an error) |
 * | `/large?count=N&mb=M` | fetches N JSON responses of M MB each |
 */
export interface HostileSite {
  readonly origin: string;
  readonly password: string;
  /** Every credential the site handed out or accepted: cookie values, tokens. */
  readonly credentials: () => readonly string[];
  close(): Promise<void>;
}

const hex = (n = 16): string => randomBytes(n).toString('hex');

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;

const SIGN_IN = page(
  'Sign in',
  `<form id="f" method="post" action="/sign-in">
     <label>Email <input name="email" type="email"></label>
     <label>Password <input id="pw" name="password" type="password"></label>
     <button type="button" id="go">Sign in</button>
   </form>
   <script>
     async function squeeze(text, format) {
       const stream = new Blob([text]).stream().pipeThrough(new CompressionStream(format));
       return new Response(stream).arrayBuffer();
     }
     document.getElementById('go').addEventListener('click', async () => {
       const typed = JSON.stringify({ field: 'password', value: document.getElementById('pw').value });
       for (const format of ['gzip', 'deflate', 'deflate-raw']) {
         await fetch('/rum?format=' + format, { method: 'POST', body: await squeeze(typed, format) });
       }
       document.getElementById('f').submit();
     });
   </script>`,
);

const account = (bearer: string, basic: string, queryToken: string, state: string, sid: string): string =>
  page(
    'Account',
    `<h1>Account</h1><p id="state">Loading</p>
     <a href="/sign-out">Sign out</a>
     <script>
       (async () => {
         await fetch('/api/me', { headers: { Authorization: 'Bearer ${bearer}' } });
         await fetch('/api/me', { headers: { Authorization: 'Basic ${basic}' } });
         await fetch('/api/data?access_token=${queryToken}&state=${state}&page=1');
         await fetch('/api/data?sid=${sid}&page=2');
         for (const blob of ['gz', 'deflate', 'br']) await (await fetch('/api/blob.' + blob)).arrayBuffer();
         console.error('token check failed for Bearer ${bearer}');
         document.getElementById('state').textContent = 'Loaded';
       })();
     </script>`,
  );

const FLOOD = (lines: number): string =>
  page(
    'Flood',
    `<h1>Flood</h1><script>
       for (let i = 0; i < ${lines}; i++) {
         if (i % 10 === 0) console.error('flood error line ' + i + ' ' + 'x'.repeat(200));
         else console.log('flood line ' + i);
       }
       document.querySelector('h1').textContent = 'Flooded';
     </script>`,
  );

const LARGE = (count: number, mb: number): string =>
  page(
    'Large',
    `<h1>Large</h1><script>
       (async () => {
         for (let i = 0; i < ${count}; i++) await (await fetch('/api/large?mb=${mb}&i=' + i)).json();
         document.querySelector('h1').textContent = 'Fetched';
       })();
     </script>`,
  );

export async function startHostileSite(): Promise<HostileSite> {
  const password = `pw-${hex(8)}`;
  const issued: string[] = [];
  const issue = (value = hex()): string => (issued.push(value), value);
  const bearer = issue(`bearer-${hex()}`);
  const basicPassword = issue(`basic-${hex(8)}`);
  const basic = Buffer.from(`qa:${basicPassword}`).toString('base64');
  issued.push(basic);
  const queryToken = issue(`query-${hex()}`);
  const state = issue(`state-${hex()}`);
  const sid = issue(`sid-${hex()}`);
  const secretBlob = Buffer.from(JSON.stringify({ replay: [{ typed: password }] }));

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const html = (status: number, body: string, headers: Record<string, string | string[]> = {}): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(body);
    };
    const rotate = (): string => `_session=${issue()}; Path=/; HttpOnly`;
    switch (url.pathname) {
      case '/sign-in':
        if (req.method === 'POST') {
          const remember = `remember_token=${issue()}; Path=/; HttpOnly`;
          return html(303, '', { location: '/account', 'set-cookie': [rotate(), remember] });
        }
        return html(200, SIGN_IN);
      case '/rum':
        req.resume();
        return html(204, '');
      case '/account':
        return html(200, account(bearer, basic, queryToken, state, sid), { 'set-cookie': rotate() });
      case '/api/me':
      case '/api/data':
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': rotate() });
        return void res.end('{"ok":true}');
      case '/api/blob.gz':
      case '/api/blob.deflate':
      case '/api/blob.br': {
        const kind = url.pathname.split('.').at(-1);
        const body =
          kind === 'gz'
            ? gzipSync(secretBlob)
            : kind === 'deflate'
              ? deflateSync(secretBlob)
              : brotliCompressSync(secretBlob);
        // Sent as opaque bytes (no Content-Encoding): the browser keeps them compressed.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return void res.end(body);
      }
      case '/sign-out':
        return html(303, '', {
          location: '/signed-out',
          'set-cookie': ['_session=; Path=/; Max-Age=0', 'remember_token=; Path=/; Max-Age=0'],
        });
      case '/signed-out':
        return html(200, page('Signed out', '<h1>Signed out</h1>'));
      case '/flood':
        return html(200, FLOOD(Math.min(Number(url.searchParams.get('lines') ?? 1000), 1_000_000)));
      case '/large':
        return html(
          200,
          LARGE(
            Math.min(Number(url.searchParams.get('count') ?? 1), 200),
            Number(url.searchParams.get('mb') ?? 1),
          ),
        );
      case '/api/large': {
        const mb = Math.min(Number(url.searchParams.get('mb') ?? 1), 32);
        const item = JSON.stringify({ id: 'item', text: 'y'.repeat(1000) });
        const items = new Array<string>(Math.ceil((mb * 1024 * 1024) / item.length)).fill(item);
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(`[${items.join(',')}]`);
      }
      default:
        return html(404, page('Not found', '<h1>Not found</h1>'));
    }
  };

  const sockets = new Set<Socket>();
  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    password,
    credentials: () => [...issued],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
