import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { cardSecrets, Redactor, REDACTED, secretVariants } from '../../../src/log.js';
import { scrubZip, zipIsClean } from '../../../src/runner/trace-scrub.js';

const SECRET = 'p@ss w"rd/+&<é>';

describe('secretVariants', () => {
  it('covers URL-encoded, form-encoded, JSON-escaped, HTML-escaped and base64 forms', () => {
    const v = secretVariants(SECRET);
    expect(v).toContain(SECRET);
    expect(v).toContain(encodeURIComponent(SECRET));
    expect(v).toContain(new URLSearchParams({ s: SECRET }).toString().slice(2));
    expect(v).toContain(JSON.stringify(SECRET).slice(1, -1));
    expect(v).toContain('p@ss w&quot;rd/+&amp;&lt;é&gt;');
    const base64 = Buffer.from(SECRET).toString('base64');
    expect(v.some((x) => x.length >= 16 && base64.startsWith(x))).toBe(true);
  });

  it('finds a secret base64-encoded at any byte offset inside a longer value', () => {
    const redactor = new Redactor([SECRET]);
    for (const prefix of ['', 'a', 'ab', 'abc', 'password=']) {
      const encoded = Buffer.from(`${prefix}${SECRET}&more=1`).toString('base64');
      expect(redactor.foundIn(encoded), `prefix "${prefix}"`).toBe(true);
    }
    expect(redactor.foundIn(Buffer.from('unrelated data, long enough').toString('base64'))).toBe(false);
  });

  it('is empty for an empty secret', () => {
    expect(secretVariants('')).toEqual([]);
    expect(new Redactor(['']).empty).toBe(true);
  });
});

describe('Redactor, card secrets', () => {
  it('replaces a short numeric secret (a CVV) only where it stands as a whole value', () => {
    const redactor = new Redactor(cardSecrets({ number: '4111 1111 1111 1111', cvv: '123' }));
    const trace = '{"params":{"value":"123"},"x":123,"t":1764123456,"body":"{\\"cvv\\":\\"123\\"}"}';
    const out = redactor.redact(trace);
    expect(out).toBe(
      `{"params":{"value":"${REDACTED}"},"x":123,"t":1764123456,"body":"{\\"cvv\\":\\"${REDACTED}\\"}"}`,
    );
    expect(() => JSON.parse(out) as unknown).not.toThrow();
    expect(redactor.redact('cvv=123&n=4111111111111111 <td>123</td> ending in 1111')).toBe(
      `cvv=${REDACTED}&n=${REDACTED} <td>${REDACTED}</td> ending in 1111`,
    );
    expect(redactor.foundIn(Buffer.from('{"n":"4111-1111-1111-1111"}'))).toBe(true);
    expect(redactor.foundIn(Buffer.from('{"n":1234123,"m":"a123b"}'))).toBe(false);
  });

  it('lists the card number as typed, bare, grouped with spaces and dashes, and the CVV', () => {
    expect(cardSecrets({ number: '4111111111111111', cvv: '0917' })).toEqual([
      '4111111111111111',
      '4111111111111111',
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '0917',
    ]);
  });
});

describe('Redactor, streaming', () => {
  it('redacts a secret that straddles chunk boundaries, whatever the chunk size', async () => {
    const redactor = new Redactor([SECRET, 'cookie-value-123456']);
    const text = `a ${SECRET} b ${encodeURIComponent(SECRET)} c cookie-value-123456 d`.repeat(20);
    for (const size of [1, 3, 7, 64, 100_000]) {
      const { stream, replaced } = redactor.redactStream();
      const out: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => out.push(chunk));
      const ended = new Promise((resolve) => stream.on('end', resolve));
      const bytes = Buffer.from(text);
      for (let at = 0; at < bytes.length; at += size) stream.write(bytes.subarray(at, at + size));
      stream.end();
      await ended;
      const result = Buffer.concat(out).toString();
      expect(result, `chunks of ${size}`).toBe(redactor.redact(text));
      expect(redactor.foundIn(result)).toBe(false);
      expect(replaced()).toBeGreaterThanOrEqual(60);
    }
  });

  it('a scanner finds a secret split across chunks', () => {
    const redactor = new Redactor([SECRET]);
    const bytes = Buffer.from(`xx${SECRET}yy`);
    const scanner = redactor.scanner();
    for (const byte of bytes) scanner.write(Buffer.from([byte]));
    expect(scanner.found).toBe(true);
    const clean = redactor.scanner();
    clean.write(Buffer.from('nothing secret here'));
    expect(clean.found).toBe(false);
  });
});

describe('Redactor', () => {
  const redactor = new Redactor([SECRET, 'sessioncookievalue123']);

  it('redacts every form in text', () => {
    const text = `fill ${SECRET}; body password=${encodeURIComponent(SECRET)}; json "${JSON.stringify(SECRET).slice(1, -1)}"; cookie session=sessioncookievalue123`;
    const out = redactor.redact(text);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain('sessioncookievalue123');
    expect(redactor.foundIn(out)).toBe(false);
    expect(out.split(REDACTED)).toHaveLength(5);
  });

  it('redacts in buffers and counts replacements; leaves clean buffers alone', () => {
    const input = Buffer.from(`a${SECRET}b${SECRET}c`);
    const { buffer, replaced } = redactor.redactBuffer(input);
    expect(replaced).toBe(2);
    expect(buffer.toString()).toBe(`a${REDACTED}b${REDACTED}c`);
    const clean = Buffer.from('nothing here');
    expect(redactor.redactBuffer(clean).buffer).toBe(clean);
  });

  it('with() adds secrets without losing the old ones', () => {
    const more = new Redactor(['first-secret']).with(['second-secret']);
    expect(more.redact('first-secret second-secret')).toBe(`${REDACTED} ${REDACTED}`);
  });
});

describe('scrubZip', () => {
  async function traceLike(): Promise<Buffer> {
    const zip = new JSZip();
    zip.file('trace.trace', JSON.stringify({ method: 'fill', params: { value: SECRET } }) + '\n');
    zip.file(
      'trace.network',
      JSON.stringify({ headers: [{ name: 'Cookie', value: 'session=sessioncookievalue123' }] }),
    );
    zip.file('resources/body.dat', `email=a%40b&password=${encodeURIComponent(SECRET)}`);
    zip.file('resources/b64.dat', Buffer.from(`xx${SECRET}yy`).toString('base64'));
    zip.file('resources/image.jpeg', Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01]));
    return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  }

  it('removes every form of every secret from every entry, and the re-scan agrees', async () => {
    const redactor = new Redactor([SECRET, 'sessioncookievalue123']);
    const input = await traceLike();
    expect(await zipIsClean(input, redactor)).toBe(false);
    const { zip, replaced, clean } = await scrubZip(input, redactor);
    expect(clean).toBe(true);
    expect(replaced).toBeGreaterThanOrEqual(4);
    const out = await JSZip.loadAsync(zip);
    expect(
      Object.keys(out.files)
        .filter((name) => !out.files[name]!.dir)
        .sort(),
    ).toEqual(
      [
        'resources/b64.dat',
        'resources/body.dat',
        'resources/image.jpeg',
        'trace.network',
        'trace.trace',
      ].sort(),
    );
    const network = await out.file('trace.network')!.async('string');
    expect(network).toContain(`session=${REDACTED}`);
    expect([...(await out.file('resources/image.jpeg')!.async('nodebuffer'))]).toEqual([
      0xff, 0xd8, 0xff, 0x00, 0x01,
    ]);
    for (const file of Object.values(out.files)) {
      expect(redactor.foundIn(await file.async('nodebuffer')), file.name).toBe(false);
    }
  });

  it('rejects a corrupt zip', async () => {
    await expect(scrubZip(Buffer.from('not a zip'), new Redactor(['x']))).rejects.toThrow();
  });
});
