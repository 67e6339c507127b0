import { METRIC_CATALOGUE } from '../metrics/catalogue.js';

/**
 * The metric catalogue of DESIGN.md "Metrics" (contract), read from the one list the prober
 * registers (src/metrics), so the rules and the dashboard can name only what is exported.
 */
export const CATALOGUE: Readonly<Record<string, 'counter' | 'gauge' | 'histogram'>> = Object.fromEntries(
  METRIC_CATALOGUE.map((m) => [m.name, m.type]),
);

/** Series Prometheus itself makes: scrape health and alert state. */
export const BUILTIN = ['up', 'ALERTS'] as const;

/** Every series name a query may select: catalogue, histogram parts, built-ins. */
export function knownSeries(): Set<string> {
  const names = new Set<string>(BUILTIN);
  for (const [name, type] of Object.entries(CATALOGUE)) {
    if (type === 'histogram') for (const part of ['_bucket', '_count', '_sum']) names.add(name + part);
    else names.add(name);
  }
  return names;
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
  'atan2',
  'by',
  'without',
  'on',
  'ignoring',
]);

/**
 * The series names a PromQL expression selects. A small lexer, not a parser: strings,
 * label matchers, ranges and grouping clauses are blanked out, function names (followed
 * by a parenthesis) and keywords dropped; what is left are metric names.
 */
export function metricNames(expr: string): string[] {
  const blanked = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of blanked.matchAll(/(?<![\w.:])[A-Za-z_:][\w:]*(?![\w:])(?!\s*\()/g)) {
    if (!KEYWORDS.has(match[0].toLowerCase()) && !/^(?:group_left|group_right)$/.test(match[0]))
      names.add(match[0]);
  }
  return [...names];
}
