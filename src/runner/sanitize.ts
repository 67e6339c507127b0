/** Turning raw error text into the bounded, one-line messages results and logs carry. */

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
 * One line: ANSI and Playwright's call log removed, non-empty lines joined with " · ",
 * query strings dropped, then `redact` applied, then cut to `max` characters.
 */
export function toMessage(
  raw: string,
  redact: (text: string) => string = (t) => t,
  max = MAX_MESSAGE_LENGTH,
): string {
  const lines = stripAnsi(raw)
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
