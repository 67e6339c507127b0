import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One alert of an Alertmanager webhook notification (payload version 4). */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
}

/** An Alertmanager webhook notification, as it arrived, with the path it was posted to. */
export interface Notification {
  /** The URL path the receiver's webhook_config posts to, e.g. `/portal-pager`. */
  readonly path: string;
  /** When the test process received it (`Date.now()`). */
  readonly receivedAt: number;
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly alerts: readonly WebhookAlert[];
}

/** A body that is not an Alertmanager notification: the test fails on it instead of ignoring it. */
export class BadNotificationError extends Error {
  override readonly name = 'BadNotificationError';
}

function parse(path: string, raw: string): Notification {
  const body = JSON.parse(raw) as Partial<Notification> & { version?: unknown };
  if (body.version !== '4' || !Array.isArray(body.alerts) || typeof body.receiver !== 'string') {
    throw new BadNotificationError(`not an Alertmanager v4 notification on ${path}: ${raw.slice(0, 200)}`);
  }
  return {
    path,
    receivedAt: Date.now(),
    receiver: body.receiver,
    status: body.status === 'resolved' ? 'resolved' : 'firing',
    groupLabels: body.groupLabels ?? {},
    alerts: body.alerts,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The webhook receiver of the test Alertmanager: a tiny HTTP server on 127.0.0.1 that keeps
 * every notification it is sent, in order. Bad bodies are kept as errors for the test to see.
 */
export class WebhookReceiver {
  readonly notifications: Notification[] = [];
  readonly errors: Error[] = [];
  private readonly server: Server;
  private port = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      readBody(req)
        .then((raw) => {
          const path = new URL(req.url ?? '/', 'http://x').pathname;
          if (req.method !== 'POST') throw new BadNotificationError(`${req.method ?? '?'} ${path}`);
          this.notifications.push(parse(path, raw));
          res.writeHead(200).end('ok');
        })
        .catch((error: unknown) => {
          this.errors.push(error instanceof Error ? error : new Error(String(error)));
          res.writeHead(400).end('bad notification');
        });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', () => resolve()));
    receiver.port = (receiver.server.address() as AddressInfo).port;
    return receiver;
  }

  /** e.g. `http://127.0.0.1:41234` */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Notifications posted to `path` (e.g. `/portal-pager`). */
  on(path: string): Notification[] {
    return this.notifications.filter((n) => n.path === path);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}
