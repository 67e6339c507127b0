import { constants } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';

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
