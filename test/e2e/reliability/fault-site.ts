import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * How the fault site answers a path: `ok` (200, `<h1>Welcome</h1>`), `hang` (never answers;
 * the socket is held until `close()`), `reset` (TCP RST without an answer), `garbage` (200,
 * text/html of random bytes and broken tags, no heading).
 */
export type FaultMode = 'ok' | 'hang' | 'reset' | 'garbage';

/** A portal that misbehaves on demand, on 127.0.0.1 and a free port. */
export interface FaultSite {
  readonly origin: string;
  /** The mode of every path without its own. */
  mode: FaultMode;
  /** Gives one path (exact, without query) its own mode. */
  setPath(path: string, mode: FaultMode): void;
  /** How many requests each path has had (favicon excluded). */
  hits(path: string): number;
  /** Requests being held open right now. */
  readonly held: number;
  close(): Promise<void>;
}

const WELCOME =
  '<!doctype html><html><head><title>Welcome</title></head><body><h1>Welcome</h1></body></html>';

/** Deterministic garbage: bytes, half-open tags, a NUL; never a heading. */
function garbage(seed: number): Buffer {
  const bytes: number[] = [];
  let x = seed || 1;
  for (let i = 0; i < 4096; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes.push(x >>> 24);
  }
  return Buffer.concat([Buffer.from('<html><body><div<<p>>\u0000<scr'), Buffer.from(bytes)]);
}

function answer(res: ServerResponse, mode: FaultMode, seq: number, socket: Socket): void {
  switch (mode) {
    case 'ok':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(WELCOME);
      return;
    case 'garbage':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(garbage(seq));
      return;
    case 'reset':
      socket.resetAndDestroy();
      return;
    case 'hang':
      return; // held until close()
  }
}

export async function startFaultSite(): Promise<FaultSite> {
  const paths = new Map<string, FaultMode>();
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  let held = 0;
  let seq = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const mode = paths.get(path) ?? site.mode;
    if (mode === 'hang') {
      held++;
      res.on('close', () => held--);
    }
    answer(res, mode, ++seq, req.socket);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const site: FaultSite = {
    origin: `http://127.0.0.1:${port}`,
    mode: 'ok',
    setPath: (path, mode) => void paths.set(path, mode),
    hits: (path) => counts.get(path) ?? 0,
    get held() {
      return held;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return site;
}
