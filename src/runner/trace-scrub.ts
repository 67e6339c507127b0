import JSZip from 'jszip';
import type { Redactor } from '../log.js';

/** What scrubbing a zip did. `clean`: a re-scan of the output found no secret. */
export interface ScrubResult {
  readonly zip: Buffer;
  /** Occurrences replaced, over all entries. */
  readonly replaced: number;
  readonly clean: boolean;
}

async function entries(zip: JSZip): Promise<[string, Buffer][]> {
  const files = Object.values(zip.files).filter((f) => !f.dir);
  return Promise.all(
    files.map(async (f): Promise<[string, Buffer]> => [f.name, await f.async('nodebuffer')]),
  );
}

/** true when no entry of `zip` (decompressed) holds any form of any secret. */
export async function zipIsClean(zip: Buffer, redactor: Redactor): Promise<boolean> {
  const all = await entries(await JSZip.loadAsync(zip));
  return all.every(([name, data]) => !redactor.foundIn(name) && !redactor.foundIn(data));
}

/**
 * Rewrites every entry of a zip (a Playwright trace: actions with `fill()` values,
 * network entries with cookies and POST bodies, DOM snapshots) with each secret replaced
 * by `[redacted]`, then re-scans the result. Entry names are checked too.
 */
export async function scrubZip(input: Buffer, redactor: Redactor): Promise<ScrubResult> {
  const source = await JSZip.loadAsync(input);
  const output = new JSZip();
  let replaced = 0;
  for (const [name, data] of await entries(source)) {
    const scrubbed = redactor.redactBuffer(data);
    replaced += scrubbed.replaced;
    const safeName = redactor.redact(name);
    if (safeName !== name) replaced++;
    output.file(safeName, scrubbed.buffer, { binary: true });
  }
  const zip = await output.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
  });
  return { zip, replaced, clean: await zipIsClean(zip, redactor) };
}
