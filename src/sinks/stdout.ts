import { relative } from 'node:path';
import type { RunResult, StepResult } from '../journey/types.js';
import type { RunHooks } from '../runner/types.js';
import { UsageError } from '../config/errors.js';
import type { ResultSink } from './sink.js';

/** Where human output goes: a stream and whether it understands colour. */
export interface Terminal {
  write(text: string): void;
  readonly color: boolean;
  /** A terminal, not a pipe or a file: a live line may be redrawn there. */
  readonly tty?: boolean;
}

const paint = (code: number) => (on: boolean, text: string) =>
  on ? `\u001b[${code}m${text}\u001b[0m` : text;
const green = paint(32);
const red = paint(31);
const yellow = paint(33);
const dim = paint(2);
const bold = paint(1);

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function stepLine(step: StepResult, color: boolean): string {
  const name = step.name.padEnd(28);
  if (step.outcome === 'skipped') return `  ${dim(color, `– ${name} skipped`)}\n`;
  const time = formatMs(step.durationMs).padStart(8);
  if (step.outcome === 'success') return `  ${green(color, '✓')} ${name}${time}\n`;
  const why = step.failure === undefined ? '' : `  ${step.failure.class}: ${step.failure.message}`;
  return `  ${red(color, '✗')} ${name}${time}${red(color, why)}\n`;
}

const MARK: Record<RunResult['outcome'], string> = {
  success: '✓',
  flaky: '~',
  degraded: '~',
  failure: '✗',
  error: '!',
};

/** The end of one run: verdict, failing step, where the evidence is. */
export function formatRunSummary(result: RunResult, color: boolean, cwd = process.cwd()): string {
  const good = result.outcome === 'success';
  const tone = good ? green : result.outcome === 'flaky' || result.outcome === 'degraded' ? yellow : red;
  const attempts = `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
  const safe = result.safeMode ? ', safe mode' : '';
  const lines = [
    `${tone(color, `${MARK[result.outcome]} ${result.journey} · ${result.target}: ${result.outcome}`)} ${dim(color, `in ${formatMs(result.durationMs)} (${attempts}${safe})`)}`,
  ];
  if (result.failure !== undefined) {
    lines.push(
      `    step ${bold(color, result.failure.step)} · ${result.failure.class} · ${result.failure.message}`,
    );
    // What finds the run's requests in the portal's backend traces (the traceparent it sent).
    if (result.traceId !== undefined) lines.push(dim(color, `    trace id:   ${result.traceId}`));
  }
  if (result.cleanupFailures > 0)
    lines.push(yellow(color, `    ${result.cleanupFailures} cleanup failure(s)`));
  const artifacts = result.artifacts;
  if (artifacts !== undefined) {
    const show = (p: string) => relative(cwd, p) || p;
    lines.push(`    artifacts:  ${show(artifacts.dir)}`);
    if (artifacts.screenshot !== undefined) lines.push(`    screenshot: ${show(artifacts.screenshot)}`);
    if (artifacts.trace !== undefined)
      lines.push(`    trace:      npx playwright show-trace ${show(artifacts.trace)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Totals of a whole command. */
export function formatTotals(results: readonly RunResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, n]) => `${n} ${outcome}`);
  return `\n${results.length} run${results.length === 1 ? '' : 's'}: ${parts.join(', ')}\n`;
}

/** Live, step-by-step output of `run` for a person at a terminal. */
export function humanHooks(out: Terminal): RunHooks {
  return {
    onAttemptStart: ({ journey, target, runId, attempt }) => {
      const again = attempt > 1 ? yellow(out.color, ` ↻ attempt ${attempt}`) : '';
      out.write(`${bold(out.color, `▶ ${journey} · ${target}`)} ${dim(out.color, `run ${runId}`)}${again}\n`);
    },
    onStepEnd: ({ step }) => out.write(stepLine(step, out.color)),
  };
}

/**
 * `run`'s report for a person: each step as it ends, a summary per run, the totals when
 * the command is done.
 */
export function humanSink(out: Terminal): ResultSink {
  const results: RunResult[] = [];
  return {
    name: 'human',
    ...humanHooks(out),
    onResult: (result) => {
      results.push(result);
      out.write(formatRunSummary(result, out.color));
    },
    onClose: () => out.write(formatTotals(results)),
  };
}

/** `run --json`: one JSON object per run on stdout, nothing else. */
export function jsonSink(out: Terminal): ResultSink {
  return { name: 'json', onResult: (result) => out.write(`${JSON.stringify(result)}\n`) };
}

/** A repeating timer and a monotonic clock: real ones by default, fakes in tests. */
export interface Ticker {
  every(ms: number, fn: () => void): () => void;
  now(): number;
}

const realTicker: Ticker = {
  every: (ms, fn) => {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
  now: () => performance.now(),
};

const CLEAR_LINE = '\r\u001b[2K';

/**
 * `run` on a terminal: the step in progress and its elapsed time on one line of stderr,
 * redrawn every second and cleared when the step ends (before its ✓/✗ line is written), so
 * a hanging step shows that it hangs and where. Nothing at all when stderr is not a terminal:
 * pipelines, CI logs and tests see only the report.
 */
export function progressSink(err: Terminal, ticker: Ticker = realTicker): ResultSink | undefined {
  if (err.tty !== true) return undefined;
  let stop: (() => void) | undefined;
  let shown = false;
  const clear = (): void => {
    stop?.();
    stop = undefined;
    if (shown) err.write(CLEAR_LINE);
    shown = false;
  };
  return {
    name: 'progress',
    onStepStart: ({ step }) => {
      clear();
      const started = ticker.now();
      const draw = (): void => {
        shown = true;
        const elapsed = Math.floor((ticker.now() - started) / 1000);
        err.write(`${CLEAR_LINE}  ${dim(err.color, `… ${step}  ${elapsed} s`)}`);
      };
      draw();
      stop = ticker.every(1000, draw);
    },
    onStepEnd: clear,
    onAttemptEnd: clear,
    onResult: clear,
    onRunEnd: clear,
    onClose: clear,
  };
}

/** Where `serve`/`demo` can be looked at: a title and labelled URLs. */
export interface Banner {
  readonly title: string;
  readonly links: readonly (readonly [label: string, url: string])[];
}

export function formatBanner(banner: Banner, color: boolean): string {
  const width = Math.max(...banner.links.map(([label]) => label.length)) + 2;
  const links = banner.links.map(([label, url]) => `  ${`${label}:`.padEnd(width)}${bold(color, url)}`);
  return `${[bold(color, banner.title), ...links].join('\n')}\n`;
}

/** The banner again on one line, between run lines. */
export function formatReminder(banner: Banner, color: boolean): string {
  return `${dim(color, `── ${banner.links.map(([label, url]) => `${label} ${url}`).join(' · ')}`)}\n`;
}

/** When a run ended, local wall-clock time (HH:MM:SS). */
function endedAt(result: RunResult): string {
  return new Date(Date.parse(result.startedAt) + result.durationMs).toTimeString().slice(0, 8);
}

/** One finished run on one line: time, journey and target, outcome, duration, failing step and class. */
export function formatRunLine(result: RunResult, color: boolean): string {
  const good = result.outcome === 'success';
  const tone = good ? green : result.outcome === 'flaky' || result.outcome === 'degraded' ? yellow : red;
  const who = `${result.journey} · ${result.target}`.padEnd(30);
  const line = `${dim(color, endedAt(result))} ${tone(color, `${MARK[result.outcome]} ${who} ${result.outcome.padEnd(8)}`)} ${formatMs(result.durationMs).padStart(8)}`;
  const failure = result.failure;
  const why = failure === undefined ? '' : `  step ${bold(color, failure.step)} · ${failure.class}`;
  return `${line}${why}\n`;
}

/**
 * `serve`/`demo` on a terminal, instead of log blocks: a banner with the URLs when ready, one
 * line per finished run, and the banner again on one line every `every` run lines, so the
 * URLs are always within a screen. (A banner pinned with a scroll region would break on
 * resize, in tmux and in the scrollback; plain lines work everywhere.)
 */
export function terminalReporter(
  out: Terminal,
  every = 20,
): { readonly sink: ResultSink; announce(banner: Banner): void; note(text: string): void } {
  let banner: Banner | undefined;
  let lines = 0;
  return {
    announce: (b) => {
      banner = b;
      lines = 0;
      out.write(formatBanner(b, out.color));
    },
    note: (text) => out.write(`${dim(out.color, text)}\n`),
    sink: {
      name: 'terminal',
      onResult: (result) => {
        if (banner !== undefined && lines > 0 && lines % every === 0)
          out.write(formatReminder(banner, out.color));
        lines++;
        out.write(formatRunLine(result, out.color));
      },
    },
  };
}

/**
 * Colour on a terminal unless NO_COLOR is set (no-color.org: present and not empty);
 * FORCE_COLOR (set, and not `0` or `false`) forces it on anywhere, as Node and chalk read it.
 */
export function colorFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** A Terminal on a process stream: colour by NO_COLOR / FORCE_COLOR, redrawn lines only on a TTY. */
export function terminal(stream: NodeJS.WriteStream): Terminal {
  return {
    write: (text: string) => void stream.write(text),
    color: colorFor(stream, process.env),
    tty: stream.isTTY === true,
  };
}

/** `--log-format` / PROBER_LOG_FORMAT: `auto` is text on a terminal, pino's JSON lines elsewhere. */
export const LOG_FORMATS = ['auto', 'text', 'json'] as const;

/** The output format of a command's log stream: the flag, else PROBER_LOG_FORMAT, else by the stream. */
export function logFormatFor(
  flag: string | undefined,
  stream: { readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv,
): 'text' | 'json' {
  const asked = flag ?? env.PROBER_LOG_FORMAT ?? 'auto';
  if (!(LOG_FORMATS as readonly string[]).includes(asked))
    throw new UsageError(`PROBER_LOG_FORMAT "${asked}" is not one of ${LOG_FORMATS.join(', ')}`);
  if (asked === 'auto') return stream.isTTY === true ? 'text' : 'json';
  return asked as 'text' | 'json';
}
