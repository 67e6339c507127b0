import type { ServerResponse } from 'node:http';

const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

function stripTestIds(html: string, ids: readonly string[]): string {
  if (ids.length === 0) return html;
  let out = html;
  for (const id of ids) out = out.split(` data-testid="${id}"`).join('');
  // The page scripts read this so they do not put a removed test id back.
  return out.replace('<body', `<body data-removed-testids="${ids.join(' ')}"`);
}

/** An HTML page; `removedTestIds` imitates a UI regression (see the removeTestId fault). */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  removedTestIds: readonly string[] = [],
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  const body = stripTestIds(html, removedTestIds);
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** 303 See Other: after a form POST the browser GETs the new page. */
export function redirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(303, { ...BASE_HEADERS, location, ...headers });
  res.end();
}
