import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { contentTypeOf, isDownload } from './content-type.js';
import { ArtifactPathError, openArtifact, parseArtifactPath } from './safe-path.js';
import { ARTIFACTS_PREFIX } from './urls.js';

/** Headers on every answer under /artifacts/: never sniffed, never scripted, never framed. */
const SAFE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, max-age=300',
} as const;

function refuse(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  const body = `${JSON.stringify({ error: message })}\n`;
  res.writeHead(status, {
    ...SAFE_HEADERS,
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** The raw path after `/artifacts/`, from the request line as sent (not normalised), without the query. */
function rawArtifactPath(url: string): string | undefined {
  const path = url.split('?', 1)[0] ?? '';
  return path.startsWith(ARTIFACTS_PREFIX) ? path.slice(ARTIFACTS_PREFIX.length) : undefined;
}

/**
 * Answers `GET|HEAD /artifacts/<path>` from `root`: regular files only, read-only, with
 * their content type and `nosniff`; 400/403/404 for anything refused, 405 for other
 * methods. No directory listings. Returns false when the URL is not under /artifacts/.
 */
export async function serveArtifact(req: IncomingMessage, res: ServerResponse, root: string): Promise<boolean> {
  const raw = rawArtifactPath(req.url ?? '');
  if (raw === undefined) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    refuse(res, 405, `method ${req.method ?? '?'} not allowed on artifacts`, { allow: 'GET, HEAD' });
    return true;
  }
  let file;
  try {
    file = await openArtifact(root, parseArtifactPath(raw));
  } catch (error) {
    if (error instanceof ArtifactPathError) refuse(res, error.status, error.message);
    else refuse(res, 500, 'artifact could not be read');
    return true;
  }
  try {
    const name = basename(file.path);
    res.writeHead(200, {
      ...SAFE_HEADERS,
      'content-type': contentTypeOf(name),
      'content-length': file.size,
      ...(isDownload(name) ? { 'content-disposition': `attachment; filename="${name}"` } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await pipeline(file.handle.createReadStream({ start: 0, end: Math.max(0, file.size - 1), autoClose: false }), res);
  } catch {
    res.destroy();
  } finally {
    await file.handle.close().catch(() => undefined);
  }
  return true;
}
