import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { escapeHtml, SafeHtml, trustedHtml } from '../html.js';

export { escapeHtml, html, SafeHtml } from '../html.js';

/** An error with the HTTP status and the one-line message the client should see. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 64 * 1024;

/** The request body as text, at most 64 KiB. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body parsed as JSON; malformed or empty → 400 naming the problem. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') throw new HttpError(400, 'request body must be JSON (it is empty)');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `malformed JSON: ${(error as Error).message}`);
  }
}

/** The body as an HTML form (application/x-www-form-urlencoded). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

function stripTestIds(html: string, ids: readonly string[]): string {
  if (ids.length === 0) return html;
  let out = html;
  for (const id of ids) out = out.split(` data-testid="${id}"`).join('');
  // The page scripts read this so they do not put a removed test id back.
  return out.replace('<body', `<body data-removed-testids="${ids.join(' ')}"`);
}

/** Replaces text between tags only (never inside attributes): a button renamed by a deploy. */
function replaceTexts(html: string, pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return html;
  return html.replace(/>([^<]+)</g, (_whole, text: string) => {
    let out = text;
    for (const [from, to] of pairs) out = out.split(from).join(to);
    return `>${out}<`;
  });
}

/** UI regressions a fault imitates on one page: test ids stripped, texts changed. */
export interface PageRegressions {
  readonly removedTestIds: readonly string[];
  readonly replacedTexts: readonly (readonly [string, string])[];
}

const NO_REGRESSIONS: PageRegressions = { removedTestIds: [], replacedTexts: [] };

/** An HTML page, with the UI regressions of the removeTestId and replaceText faults. */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  regressions: PageRegressions = NO_REGRESSIONS,
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  const body = replaceTexts(stripTestIds(html, regressions.removedTestIds), regressions.replacedTexts);
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

/** 303 See Other by default: after a form POST the browser GETs the new page (OAuth hops use 302). */
export function redirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
  status: 302 | 303 = 303,
): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...BASE_HEADERS, location, ...headers });
  res.end();
}

/** What a route handler is given. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
}

export type Handler = (ctx: RouteContext) => void | Promise<void>;

interface Route {
  readonly method: string;
  readonly parts: readonly string[];
  readonly handler: Handler;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly handler: Handler; readonly params: Record<string, string> }
  | { readonly kind: 'method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' };

/** A tiny router: `/gitlab/namespaces/:group/renew` style patterns, exact segment counts. */
export class Router {
  readonly #routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.#routes.push({ method, parts: pattern.split('/'), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const segments = path.split('/');
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const params = matchParts(route.parts, segments);
      if (params === undefined) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        return { kind: 'found', handler: route.handler, params };
      }
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method', allowed } : { kind: 'none' };
  }
}

function matchParts(
  parts: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] ?? '';
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) {
      if (segment === '') return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

/** Parses `body` with `schema`, or throws HttpError(status) naming the first problem. */
export function parseWith<S extends z.ZodType>(schema: S, body: unknown, status = 422): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new HttpError(status, 'invalid request body');
  const path = issue.path.map(String).join('.');
  throw new HttpError(status, path === '' ? issue.message : `${path}: ${issue.message}`);
}

/** Trusted markup (our own client scripts, CSS). */
export const raw = trustedHtml;

/** JSON for a `<script type="application/json">` block: `<` escaped so it cannot close the tag. */
export function jsonScript(id: string, data: unknown): SafeHtml {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return new SafeHtml(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}
