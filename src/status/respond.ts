import type { ServerResponse } from 'node:http';
import type { SafeHtml } from './html.js';

/** Pages run no script, load nothing from elsewhere and cannot be framed. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...PAGE_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function sendHtml(res: ServerResponse, status: number, body: SafeHtml): void {
  send(res, status, 'text/html; charset=utf-8', body.value);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
}

export function sendMethodNotAllowed(res: ServerResponse): void {
  send(
    res,
    405,
    'application/json; charset=utf-8',
    `${JSON.stringify({ error: 'method not allowed: use GET or HEAD' })}\n`,
    {
      allow: 'GET, HEAD',
    },
  );
}
