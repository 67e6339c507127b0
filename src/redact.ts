import { Transform } from 'node:stream';

/**
 * The one redaction mechanism of the prober. A known secret value (a password, a session
 * cookie, a bearer token, a card) is kept out of everything written — log lines, messages,
 * artifacts, trace entries — in every form it may take there: URL-encoded in a form body,
 * JSON-escaped in a trace event, HTML-escaped in a DOM snapshot, base64 in a binary body.
 */

export const REDACTED = '[redacted]';

/** Cookie values shorter than this are not treated as secrets (`en`, `true`, `1`…). */
export const MIN_COOKIE_SECRET_LENGTH = 8;
// Base64 fragments shorter than this would match unrelated data.
const MIN_BASE64_FRAGMENT = 8;

const htmlEscape = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
const jsonEscape = (s: string): string => JSON.stringify(s).slice(1, -1);

/**
 * The part of base64(x) that depends only on the secret's bytes, for the secret starting
 * at each of the three byte offsets inside a longer buffer.
 */
function base64Fragments(secret: Buffer): string[] {
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), secret]);
    const encoded = padded.toString('base64');
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor(padded.length / 3) * 4;
    const fragment = encoded.slice(start, end);
    if (fragment.length >= MIN_BASE64_FRAGMENT) {
      fragments.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return fragments;
}

/** Every form in which `secret` may appear in text or bytes, longest first. */
export function secretVariants(secret: string): string[] {
  if (secret === '') return [];
  const variants = new Set<string>([
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    new URLSearchParams({ s: secret }).toString().slice(2),
    jsonEscape(secret),
    jsonEscape(jsonEscape(secret)),
    htmlEscape(secret),
    ...base64Fragments(Buffer.from(secret, 'utf8')),
  ]);
  return [...variants].filter((v) => v !== '').sort((a, b) => b.length - a.length);
}

/**
 * A short all-digit secret (a card's security code) would match ordinary numbers: it is
 * replaced only where it stands as a whole value — a JSON or quoted string, a form or query
 * value, an element's text — never inside a number, so a trace stays valid JSON.
 */
export const SHORT_NUMERIC = /^\d{3,7}$/;
const VALUE_DELIMITERS: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ['\\"', '\\"'],
  ["'", "'"],
  ['=', '&'],
  ['=', '"'],
  ['=', ';'],
  ['=', ' '],
  ['=', '\n'],
  ['=', '\r'],
  ['=', '#'],
  ['>', '<'],
];
/**
 * A short numeric secret as the last value of a form body or query: `…&cvv=123`. A bare JSON
 * number is left alone: replacing it would leave invalid JSON (and hit every such number).
 */
const VALUE_OPENERS = ['='] as const;

/** What to find and what to put instead, longest first. */
function needles(secret: string): { readonly find: string; readonly replace: string }[] {
  if (SHORT_NUMERIC.test(secret)) {
    return VALUE_DELIMITERS.map(([open, close]) => ({
      find: `${open}${secret}${close}`,
      replace: `${open}${REDACTED}${close}`,
    }));
  }
  return secretVariants(secret).map((find) => ({ find, replace: REDACTED }));
}

/**
 * The secrets of a payment card: its number as typed, its bare digits, grouped by four with
 * spaces and with dashes, and the security code. The last four digits alone are not secret
 * (the portal itself shows "Visa ending in 1111").
 */
export function cardSecrets(card: { readonly number: string; readonly cvv: string }): string[] {
  const digits = card.number.replace(/[\s-]/g, '');
  const groups = digits.match(/.{1,4}/g) ?? [];
  return [card.number, digits, groups.join(' '), groups.join('-'), card.cvv].filter((s) => s !== '');
}

/** Replaces every variant of a set of secrets in strings and buffers. Immutable. */
export class Redactor {
  readonly #secrets: readonly string[];
  readonly #needles: readonly { readonly find: string; readonly replace: string }[];
  readonly #buffers: readonly { readonly find: Buffer; readonly replace: Buffer }[];
  /** Short numeric secrets as the very last value (only matched at the true end of the data). */
  readonly #tails: readonly { readonly find: Buffer; readonly replace: Buffer }[];

  constructor(secrets: Iterable<string>) {
    this.#secrets = [...new Set(secrets)];
    this.#tails = this.#secrets
      .filter((secret) => SHORT_NUMERIC.test(secret))
      .flatMap((secret) =>
        VALUE_OPENERS.map((open) => ({
          find: Buffer.from(`${open}${secret}`, 'utf8'),
          replace: Buffer.from(`${open}${REDACTED}`, 'utf8'),
        })),
      );
    const all = new Map<string, string>();
    for (const secret of this.#secrets) for (const n of needles(secret)) all.set(n.find, n.replace);
    this.#needles = [...all]
      .map(([find, replace]) => ({ find, replace }))
      .sort((a, b) => b.find.length - a.find.length);
    this.#buffers = this.#needles.map((n) => ({
      find: Buffer.from(n.find, 'utf8'),
      replace: Buffer.from(n.replace, 'utf8'),
    }));
  }

  get empty(): boolean {
    return this.#needles.length === 0;
  }

  /** A redactor that also knows `secrets`. */
  with(secrets: Iterable<string>): Redactor {
    return new Redactor([...this.#secrets, ...secrets]);
  }

  redact(text: string): string {
    let out = text;
    for (const n of this.#needles) if (out.includes(n.find)) out = out.split(n.find).join(n.replace);
    for (const t of this.#tails) {
      const find = t.find.toString('utf8');
      if (out.endsWith(find)) out = `${out.slice(0, -find.length)}${t.replace.toString('utf8')}`;
    }
    return out;
  }

  /** A short numeric secret ending the data (`…&cvv=123`): only at the true end. */
  #redactTail(input: Buffer): { readonly buffer: Buffer; readonly replaced: number } {
    for (const { find, replace } of this.#tails) {
      if (input.length >= find.length && input.subarray(input.length - find.length).equals(find)) {
        return {
          buffer: Buffer.concat([input.subarray(0, input.length - find.length), replace]),
          replaced: 1,
        };
      }
    }
    return { buffer: input, replaced: 0 };
  }

  /**
   * Replaces every occurrence; returns the same buffer when nothing matched. `atEnd`: the
   * buffer ends the data (false for a chunk of a stream), so a secret ending it is a value.
   */
  redactBuffer(input: Buffer, atEnd = true): { readonly buffer: Buffer; readonly replaced: number } {
    const whole = this.#redactWithin(input);
    if (!atEnd) return whole;
    const tail = this.#redactTail(whole.buffer);
    return { buffer: tail.buffer, replaced: whole.replaced + tail.replaced };
  }

  #redactWithin(input: Buffer): { readonly buffer: Buffer; readonly replaced: number } {
    let buffer = input;
    let replaced = 0;
    for (const { find: needle, replace: marker } of this.#buffers) {
      let at = buffer.indexOf(needle);
      if (at < 0) continue;
      const parts: Buffer[] = [];
      let from = 0;
      while (at >= 0) {
        parts.push(buffer.subarray(from, at), marker);
        replaced++;
        from = at + needle.length;
        at = buffer.indexOf(needle, from);
      }
      parts.push(buffer.subarray(from));
      buffer = Buffer.concat(parts);
    }
    return { buffer, replaced };
  }

  /** true when any form of any secret occurs in `data`. */
  foundIn(data: Buffer | string): boolean {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return (
      this.#buffers.some((needle) => buffer.includes(needle.find)) || this.#redactTail(buffer).replaced > 0
    );
  }

  /** Bytes a secret may straddle between two chunks: the longest form less one. */
  get #overlap(): number {
    return Math.max(0, (this.#buffers[0]?.find.length ?? 0) - 1);
  }

  /**
   * A stream that redacts what passes through it, chunk by chunk, holding back only the
   * bytes a secret could straddle; `replaced()` counts the occurrences once it has ended.
   */
  redactStream(): { readonly stream: Transform; readonly replaced: () => number } {
    const keep = this.#overlap;
    let carry = Buffer.alloc(0);
    let replaced = 0;
    const stream = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        const scrubbed = this.redactBuffer(Buffer.concat([carry, chunk]), false);
        replaced += scrubbed.replaced;
        const cut = Math.max(0, scrubbed.buffer.length - keep);
        carry = Buffer.from(scrubbed.buffer.subarray(cut));
        done(null, scrubbed.buffer.subarray(0, cut));
      },
      flush: (done) => {
        const tail = this.#redactTail(carry);
        replaced += tail.replaced;
        done(null, tail.buffer);
      },
    });
    return { stream, replaced: () => replaced };
  }

  /** A scanner fed chunk by chunk: `found` turns true once any form of any secret passed. */
  scanner(): { write(chunk: Buffer): void; readonly found: boolean } {
    const keep = this.#overlap;
    let carry = Buffer.alloc(0);
    let found = false;
    const foundIn = (data: Buffer): boolean => this.foundIn(data);
    return {
      write(chunk: Buffer): void {
        if (found) return;
        const window = Buffer.concat([carry, chunk]);
        found = foundIn(window);
        carry = Buffer.from(window.subarray(Math.max(0, window.length - keep)));
      },
      get found(): boolean {
        return found;
      },
    };
  }
}
