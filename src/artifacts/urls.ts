import { isAbsolute, relative, resolve, sep } from 'node:path';

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
