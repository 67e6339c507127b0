import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import JSZip from 'jszip';

/**
 * The forms in which a secret could be written: as is, URL-encoded (form bodies), JSON-
 * and HTML-escaped, and base64 at each of the three byte alignments (binary bodies in a
 * trace). Written independently of the runner's redactor, which is what is under test.
 */
export function leakForms(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  ]);
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), Buffer.from(secret)]).toString('base64');
    // Skip the characters mixed with the zero prefix and the padded tail.
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor((Buffer.byteLength(secret) + offset) / 3) * 4;
    if (end - start >= 8) forms.add(encoded.slice(start, end));
  }
  return [...forms];
}

/** One place something was found. */
export interface Leak {
  readonly where: string;
  readonly form: string;
}

/** Every form of every secret found in `data`, labelled with `where`. */
export function findLeaks(where: string, data: Buffer | string, secrets: readonly string[]): Leak[] {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const leaks: Leak[] = [];
  for (const secret of secrets) {
    for (const form of leakForms(secret))
      if (buffer.includes(Buffer.from(form, 'utf8'))) leaks.push({ where, form });
  }
  return leaks;
}

/**
 * The body inside compressed bytes (gzip, zlib, brotli, raw deflate), for a body a page
 * compressed before sending it; undefined when it is none of those.
 */
export function inflated(data: Buffer): { how: string; data: Buffer } | undefined {
  const ways: [string, (b: Buffer) => Buffer][] = [
    ['gzip', (b) => gunzipSync(b)],
    ['deflate', (b) => inflateSync(b)],
    ['br', (b) => brotliDecompressSync(b)],
    ['deflate-raw', (b) => inflateRawSync(b)],
  ];
  for (const [how, inflate] of ways) {
    try {
      const out = inflate(data);
      if (out.length > 0) return { how, data: out };
    } catch {
      /* not this one */
    }
  }
  return undefined;
}

/** Every file under `dir`, with every zip entry (recursively) as a file of its own. */
export async function scanTree(
  dir: string,
  secrets: readonly string[],
): Promise<{ leaks: Leak[]; scanned: string[] }> {
  const leaks: Leak[] = [];
  const scanned: string[] = [];
  const visit = async (where: string, data: Buffer): Promise<void> => {
    scanned.push(where);
    leaks.push(...findLeaks(where, data, secrets));
    const inner = inflated(data);
    if (inner) leaks.push(...findLeaks(`${where} (${inner.how})`, inner.data, secrets));
    if (where.endsWith('.zip')) {
      const zip = await JSZip.loadAsync(data);
      for (const entry of Object.values(zip.files)) {
        if (entry.dir) continue;
        leaks.push(...findLeaks(`${where}!${entry.name} (name)`, entry.name, secrets));
        const inner = await entry.async('nodebuffer');
        await visit(`${where}!${entry.name}`, inner);
      }
    }
  };
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    await visit(path, await readFile(path));
  }
  return { leaks, scanned };
}
