import { relative } from 'node:path';
import type { RunResult, StepResult } from '../journey/types.js';
import type { RunHooks } from '../runner/types.js';
import type { ResultSink } from './sink.js';

/** Where human output goes: a stream and whether it understands colour. */
export interface Terminal {
  write(text: string): void;
  readonly color: boolean;
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
