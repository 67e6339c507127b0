import { extname } from 'node:path';

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
