import { constants } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { rawPath, type App, type AppContext } from '../server/http.js';

/** What each artifact file is served as; anything else is a download of opaque bytes. */
const TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.zip': 'application/zip',
  '.json': 'application/json; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export const FALLBACK_TYPE = 'application/octet-stream';

/** The Content-Type of an artifact by its extension. HTML is never served as HTML. */
export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? FALLBACK_TYPE;
}

/** Files a browser should save rather than show. */
export function isDownload(file: string): boolean {
  const type = contentTypeOf(file);
  return type === 'application/zip' || type === FALLBACK_TYPE;
}

/** The URL prefix under which the artifacts tree is served (DESIGN.md contract). */
export const ARTIFACTS_PREFIX = '/artifacts/';

/**
 * The segments of `file` relative to the artifacts root, or undefined when it lies outside
 * (results carry filesystem paths; only what is under the root is served).
 */
export function artifactSegments(root: string, file: string): string[] | undefined {
  const rel = relative(resolve(root), resolve(file));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep);
}

/** `/artifacts/<segments…>` for a file under the root, each segment percent-encoded. */
export function artifactUrl(root: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const segments = artifactSegments(root, file);
  return segments === undefined ? undefined : ARTIFACTS_PREFIX + segments.map(encodeURIComponent).join('/');
}

/** A request for something under the artifacts directory that is refused; `status` is the HTTP answer. */
export class ArtifactPathError extends Error {
  override readonly name = 'ArtifactPathError';

  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** The runner names every path segment with these characters only (runner/artifacts.ts pathSegment). */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$/;
const MAX_SEGMENTS = 8;

/**
 * The segments of an artifact path as it came in the URL (after `/artifacts/`, before `?`),
 * refusing anything that could name a file outside the tree: NUL, backslashes, empty
 * segments (doubled or leading slashes), `.`/`..` and any segment starting with a dot
 * (`....`), encoded separators, double encoding, characters the runner never writes.
 */
export function parseArtifactPath(raw: string): string[] {
  if (raw === '') throw new ArtifactPathError(404, 'no artifact named');
  if (/\0|%00/i.test(raw)) throw new ArtifactPathError(400, 'artifact path contains NUL');
  if (/\\|%5c/i.test(raw)) throw new ArtifactPathError(400, 'artifact path contains a backslash');
  const parts = raw.split('/');
  if (parts.length > MAX_SEGMENTS) throw new ArtifactPathError(400, 'artifact path is too deep');
  return parts.map((part) => {
    if (part === '') throw new ArtifactPathError(400, 'artifact path has an empty segment (absolute or doubled slash)');
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      throw new ArtifactPathError(400, 'artifact path is not valid percent-encoding');
    }
    if (!SEGMENT.test(decoded)) throw new ArtifactPathError(400, 'artifact path has a segment that is not a plain name');
    return decoded;
  });
}

/** A regular file inside the artifacts directory, opened for reading. */
export interface OpenArtifact {
  readonly path: string;
  readonly size: number;
  readonly handle: FileHandle;
}

/**
 * Opens `segments` under `root` for reading, refusing symlinks anywhere below the root
 * (the real path must be exactly root + segments), directories and anything missing.
 * The last component is opened with O_NOFOLLOW, so a symlink swapped in after the check
 * is refused too.
 */
export async function openArtifact(root: string, segments: readonly string[]): Promise<OpenArtifact> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    throw new ArtifactPathError(404, 'the artifacts directory does not exist');
  }
  const expected = join(realRoot, ...segments);
  let real: string;
  try {
    real = await realpath(expected);
  } catch {
    throw new ArtifactPathError(404, 'no such artifact');
  }
  if (real !== expected || !real.startsWith(realRoot + sep)) {
    throw new ArtifactPathError(403, 'artifact path goes through a symbolic link');
  }
  const info = await lstat(real).catch(() => undefined);
  if (info === undefined || !info.isFile()) throw new ArtifactPathError(404, 'no such artifact (not a file)');
  let handle: FileHandle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    throw new ArtifactPathError(403, 'artifact cannot be opened');
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new ArtifactPathError(404, 'no such artifact (not a file)');
  }
  return { path: real, size: stat.size, handle };
}

/** Reads at most `maxBytes` of an artifact as UTF-8; `truncated` tells whether there was more. */
export async function readArtifactText(
  root: string,
  segments: readonly string[],
  maxBytes: number,
): Promise<{ readonly text: string; readonly truncated: boolean }> {
  const file = await openArtifact(root, segments);
  try {
    const length = Math.min(file.size, maxBytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.handle.read(buffer, 0, length, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), truncated: file.size > maxBytes };
  } finally {
    await file.handle.close();
  }
}

/** Headers on every answer under /artifacts/: never sniffed, never scripted, never framed. */
const SAFE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, max-age=300',
} as const;

function refuse(method: string, status: number, message: string, extra: Record<string, string> = {}): Response {
  const body = `${JSON.stringify({ error: message })}\n`;
  return new Response(method === 'HEAD' ? null : body, {
    status,
    headers: {
      ...SAFE_HEADERS,
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      ...extra,
    },
  });
}

/**
 * Answers `GET|HEAD /artifacts/<path>` from `root`: regular files only, read-only, with
 * their content type and `nosniff`; 400/403/404 for anything refused, 405 for other
 * methods. No directory listings. The path is checked as it came on the request line.
 */
export async function serveArtifact(c: AppContext, root: string): Promise<Response> {
  const method = c.req.method;
  if (method !== 'GET' && method !== 'HEAD') {
    return refuse(method, 405, `method ${method} not allowed on artifacts`, { allow: 'GET, HEAD' });
  }
  const raw = rawPath(c);
  if (!raw.startsWith(ARTIFACTS_PREFIX)) return refuse(method, 404, 'no artifact named');
  let file: OpenArtifact;
  try {
    file = await openArtifact(root, parseArtifactPath(raw.slice(ARTIFACTS_PREFIX.length)));
  } catch (error) {
    if (error instanceof ArtifactPathError) return refuse(method, error.status, error.message);
    return refuse(method, 500, 'artifact could not be read');
  }
  const name = basename(file.path);
  const headers = {
    ...SAFE_HEADERS,
    'content-type': contentTypeOf(name),
    'content-length': String(file.size),
    ...(isDownload(name) ? { 'content-disposition': `attachment; filename="${name}"` } : {}),
  };
  if (method === 'HEAD') {
    await file.handle.close();
    return new Response(null, { status: 200, headers });
  }
  // autoClose: the handle is closed when the stream ends, fails or is cancelled by the client.
  const stream = file.handle.createReadStream({ start: 0, end: Math.max(0, file.size - 1), autoClose: true });
  const body = file.size === 0 ? null : (Readable.toWeb(stream) as ReadableStream<Uint8Array>);
  if (body === null) stream.destroy();
  return new Response(body, { status: 200, headers });
}

/** Mounts `/artifacts/…` (every method: the others get 405) on `app`. */
export function artifactRoutes(app: App, root: string): void {
  app.all(`${ARTIFACTS_PREFIX}*`, (c) => serveArtifact(c, root));
  app.all(ARTIFACTS_PREFIX.slice(0, -1), (c) => serveArtifact(c, root));
}
