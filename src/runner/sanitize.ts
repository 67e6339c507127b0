/**
 * Text from outside made safe: raw error text into the bounded, one-line, terminal-safe
 * messages results and logs carry; URLs without their queries; and which parts of a URL or
 * an HTTP header are credentials.
 */

import type { Account, TargetInfo } from '../journey/types.js';
import { cardSecrets } from '../log.js';

/** Longest message a FailureInfo carries. */
export const MAX_MESSAGE_LENGTH = 300;

// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// A URL's query string and fragment: everything from ? or # up to the end of the URL.
const URL_TAIL = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>?#]*)[?#][^\s"'<>]*/gi;
// Playwright appends diagnostics after these markers: useful in a trace, noise in a message.
const DIAGNOSTICS = /\n(?:Call log:|Browser logs:|=+ logs =+)[\s\S]*$/;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

// Every escape sequence a terminal acts on: CSI (colours, cursor moves, erase), OSC (window
// title, hyperlinks, clipboard) up to BEL or ST, DCS/SOS/PM/APC strings up to ST, and the
// two-character ones (`ESC c` resets the terminal). Also their 8-bit C1 forms (CSI U+009B…).
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -/]*[0-~]?/g;
// What is left that a terminal would act on or hide: C0 controls but tab and newline, DEL,
// C1 controls, and the bidirectional overrides that reorder what a line appears to say.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a page (console lines, error messages, titles) made safe to print on a terminal:
 * escape sequences removed, every other control character shown as `\xNN` / `\u{NNNN}` (a
 * `\r` cannot rewrite the line before it into a forged "✓ success", a NUL or BS cannot hide
 * text). Tabs stay; newlines stay unless `oneLine`, which shows them as `\x0a` too.
 */
export function terminalSafe(text: string, oneLine = false): string {
  const visible = (c: string): string => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  };
  const out = text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, visible);
  return oneLine ? out.replace(/\n/g, visible) : out;
}

/** `https://x/a?token=1#f` → `https://x/a`, wherever URLs appear in the text. */
export function stripQueryStrings(text: string): string {
  return text.replace(URL_TAIL, '$1');
}

/** A URL without query and fragment; the input unchanged when it does not parse. */
export function urlWithoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return stripQueryStrings(url);
  }
}

/** The origin of a URL; '' when it does not parse. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/**
 * One line, safe on a terminal (terminalSafe): Playwright's call log removed, non-empty lines joined with " · ",
 * query strings dropped, then `redact` applied, then cut to `max` characters.
 */
export function toMessage(
  raw: string,
  redact: (text: string) => string = (t) => t,
  max = MAX_MESSAGE_LENGTH,
): string {
  const lines = terminalSafe(raw)
    .replace(DIAGNOSTICS, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const text = redact(stripQueryStrings(lines.join(' · ')));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The message of anything thrown, as text. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** Anything thrown, as an Error (non-errors become one carrying their text). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(errorText(error));
}

/**
 * Query parameters whose values are credentials wherever they appear (OAuth codes and
 * state, access tokens, GitLab's private_token); RunOptions.secretQueryParams adds more.
 */
export const SECRET_QUERY_PARAMS = [
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'state',
  'private_token',
  'client_secret',
  'password',
  'api_key',
  'secret',
] as const;

/** The values of a `Cookie` header (`a=1; b=2`) or of `Set-Cookie` lines (`a=1; Path=/`). */
export function cookieValues(header: string, set: boolean): string[] {
  const pairs = set ? header.split('\n').map((line) => line.split(';')[0] ?? '') : header.split(';');
  return pairs.flatMap((pair) => {
    const at = pair.indexOf('=');
    const value =
      at < 0
        ? ''
        : pair
            .slice(at + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    return value === '' ? [] : [value];
  });
}

/** `Bearer t` → the header and `t`; `Basic b64` → also `user:password` and the password. */
export function authorizationValues(header: string): string[] {
  const [, scheme = '', token = ''] = /^\s*(\S+)\s+(.+?)\s*$/.exec(header) ?? [];
  const values = [header.trim(), token];
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) values.push(decoded, decoded.slice(colon + 1));
  }
  return values.filter((v) => v.length >= 4);
}

/** Values of the named parameters in a URL's query and fragment (`#access_token=…`). */
export function secretParamValues(url: string, names: ReadonlySet<string>): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const values: string[] = [];
  for (const params of [parsed.searchParams, new URLSearchParams(parsed.hash.slice(1))]) {
    for (const [name, value] of params) if (names.has(name.toLowerCase())) values.push(value);
  }
  return values;
}

/** decodeURIComponent, or the value itself when it is not valid percent-encoding. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The account's password and identity and the target's card, to scrub them from evidence. A
 * target without an account hands out one whose fields throw when a journey uses them.
 */
export function secretsOf(account: Account | undefined, { card }: TargetInfo): string[] {
  const cardValues = card ? cardSecrets({ number: card.number.reveal(), cvv: card.cvv.reveal() }) : [];
  if (account === undefined) return cardValues;
  try {
    const { username, otpSecret } = account;
    return [
      account.password.reveal(),
      account.email,
      ...(username === undefined ? [] : [username]),
      ...(otpSecret === undefined ? [] : [otpSecret.reveal()]),
      ...cardValues,
    ];
  } catch {
    return cardValues;
  }
}
