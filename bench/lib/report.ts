import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type { Machine } from './machine.js';

/** One line of a benchmark's table in bench/README.md. */
export interface Row {
  readonly metric: string;
  readonly value: string;
  /** The project's own target for this number, when it sets one. */
  readonly target?: string;
  readonly verdict?: 'met' | 'missed';
}

/** What one benchmark hands back: its table rows and the raw numbers behind them. */
export interface BenchOutput {
  readonly rows: readonly Row[];
  readonly data: unknown;
  readonly notes?: readonly string[];
}

export interface BenchRecord extends BenchOutput {
  readonly title: string;
  readonly quick: boolean;
  readonly startedAt: string;
  readonly durationS: number;
  /** 1-minute load average before and after: other work shares this machine. */
  readonly load: { readonly start: number; readonly end: number };
}

export interface ResultsFile {
  readonly date: string;
  readonly machine: Machine;
  readonly benchmarks: Record<string, BenchRecord>;
}

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const README = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Today's results file: one per date, each benchmark's latest record in it; quick runs apart. */
export function resultsPath(quick: boolean, date = new Date().toISOString().slice(0, 10)): string {
  return `${RESULTS_DIR}${date}${quick ? '-quick' : ''}.json`;
}

/**
 * Adds (or replaces) one benchmark's record in today's file and refreshes bench/README.md.
 * A quick (smoke) record goes to `<date>-quick.json` and never into the README.
 */
export async function saveRecord(name: string, record: BenchRecord, machine: Machine): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = resultsPath(record.quick);
  const date = new Date().toISOString().slice(0, 10);
  const previous = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ResultsFile) : undefined;
  const file: ResultsFile = {
    date,
    machine,
    benchmarks: { ...(previous?.benchmarks ?? {}), [name]: record },
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  if (!record.quick) await updateReadme(file);
  return path;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The generated part of bench/README.md: the machine, then a table per benchmark. */
export function renderTables(file: ResultsFile): string {
  const m = file.machine;
  const lines = [
    `Results of ${file.date} (\`bench/results/${file.date}.json\`): ${m.nproc} cores (${m.cpuModel}), ` +
      `${m.memoryGiB} GiB, Node.js ${m.node}, Playwright ${m.playwright}, ${m.chromium}` +
      `${m.elasticSynthetics === undefined ? '' : `, @elastic/synthetics ${m.elasticSynthetics}`}.`,
    '',
  ];
  for (const [name, b] of Object.entries(file.benchmarks)) {
    lines.push(
      `### ${b.title} (\`${name}\`)`,
      '',
      `${b.startedAt.replace('T', ' ').slice(0, 16)} UTC, ${b.quick ? '**quick mode** (smoke check only), ' : ''}` +
        `${Math.round(b.durationS)} s, load average ${b.load.start} → ${b.load.end}.`,
      '',
      '| metric | value | target | |',
      '|---|---|---|---|',
      ...b.rows.map(
        (r) =>
          `| ${escapeCell(r.metric)} | ${escapeCell(r.value)} | ${escapeCell(r.target ?? '')} | ${
            r.verdict === undefined ? '' : r.verdict === 'met' ? 'met' : '**missed**'
          } |`,
      ),
      '',
      ...(b.notes ?? []).map((n) => `- ${n}`),
      ...(b.notes !== undefined && b.notes.length > 0 ? [''] : []),
    );
  }
  return lines.join('\n');
}

/** Replaces the generated block of bench/README.md, formatted as the repository's prettier does. */
async function updateReadme(file: ResultsFile): Promise<void> {
  if (!existsSync(README)) return;
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return;
  const next = `${text.slice(0, start + START.length)}\n\n${renderTables(file)}\n${text.slice(end)}`;
  const options = (await resolveConfig(README)) ?? {};
  writeFileSync(README, await format(next, { ...options, filepath: README }));
}
