/**
 * Safe-by-construction HTML, shared by the status pages and the sandbox: `html` escapes every
 * interpolated value unless it is already `SafeHtml` (made by `html` itself or, deliberately,
 * by `trustedHtml`). One template, one escape set.
 *
 * `SafeHtml` speaks Hono's `HtmlEscaped` protocol (`isEscaped`), so a fragment made by
 * `hono/html` and one made here compose without double escaping, and `c.html()` takes it.
 */

/** A fragment of HTML whose text parts are already escaped. */
export class SafeHtml {
  readonly isEscaped = true as const;

  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** What may be interpolated into `html`: arrays are concatenated, null/undefined/false render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

// Hono's set (& < > " ') and the backtick, which old browsers took as an attribute quote.
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

function isEscaped(value: unknown): value is { readonly isEscaped: true; toString(): string } {
  return typeof value === 'object' && value !== null && (value as { isEscaped?: unknown }).isEscaped === true;
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (isEscaped(value)) return value.toString();
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<td>${name}</td>\`` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Marks markup made by this module's own code (never user data) as safe. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
