import { describe, expect, it } from 'vitest';

import {
  formatRunLine,
  logFormatFor,
  progressSink,
  terminalReporter,
  type Terminal,
  type Ticker,
} from '../../../src/sinks/stdout.js';
import { erroredRun, failedRun, passedRun } from './fixtures.js';

/** A fake terminal: what was written, colour and TTY as asked. */
function fakeTerminal(tty: boolean, color = false): Terminal & { text: string } {
  const out = {
    text: '',
    color,
    tty,
    write: (t: string) => void (out.text += t),
  };
  return out;
}

/** A ticker whose time and ticks the test moves by hand. */
function fakeTicker(): Ticker & { advance(ms: number): void; readonly running: number } {
  let now = 0;
  const timers = new Set<{ fn: () => void; ms: number; next: number }>();
  return {
    now: () => now,
    every: (ms, fn) => {
      const timer = { fn, ms, next: now + ms };
      timers.add(timer);
      return () => void timers.delete(timer);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (due === undefined) break;
        now = due.next;
        due.next += due.ms;
        due.fn();
      }
      now = end;
    },
    get running() {
      return timers.size;
    },
  };
}

const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toTimeString().slice(0, 8);

describe('run: the step in progress on stderr', () => {
  it('shows the step and its elapsed seconds on one redrawn line, cleared at the step end', () => {
    const err = fakeTerminal(true);
    const ticker = fakeTicker();
    const sink = progressSink(err, ticker)!;
    sink.onStepStart?.({ runId: 'r', attempt: 1, step: 'payment' });
    expect(err.text).toBe('\r\u001b[2K  … payment  0 s');
    ticker.advance(2_500);
    expect(err.text.split('\r\u001b[2K').slice(1)).toEqual([
      '  … payment  0 s',
      '  … payment  1 s',
      '  … payment  2 s',
    ]);
    sink.onStepEnd?.({ runId: 'r', attempt: 1, step: failedRun.steps[1]! });
    expect(err.text.endsWith('  … payment  2 s\r\u001b[2K')).toBe(true);
    expect(ticker.running).toBe(0);
    // Nothing more once the step is over.
    const before = err.text;
    ticker.advance(5_000);
    void sink.onResult(failedRun, { journey: {} as never, target: 'sandbox', runId: 'r' });
    expect(err.text).toBe(before);
  });

  it('a new step replaces the previous one, and no timer outlives the command', () => {
    const err = fakeTerminal(true);
    const ticker = fakeTicker();
    const sink = progressSink(err, ticker)!;
    sink.onStepStart?.({ runId: 'r', attempt: 1, step: 'sign in' });
    sink.onStepStart?.({ runId: 'r', attempt: 1, step: 'pay' });
    expect(ticker.running).toBe(1);
    void sink.onClose?.();
    expect(ticker.running).toBe(0);
    expect(err.text.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('writes nothing at all when stderr is not a terminal', () => {
    expect(progressSink(fakeTerminal(false), fakeTicker())).toBeUndefined();
  });

  it('colours the line only when the terminal has colour', () => {
    const err = fakeTerminal(true, true);
    progressSink(err, fakeTicker())!.onStepStart?.({ runId: 'r', attempt: 1, step: 'pay' });
    expect(err.text).toContain('\u001b[2m… pay  0 s\u001b[0m');
  });
});

describe('serve and demo on a terminal: a line per run and a banner that stays in view', () => {
  const banner = {
    title: 'journey-prober demo: probing the sandbox',
    links: [
      ['status page', 'http://127.0.0.1:9464/'],
      ['metrics', 'http://127.0.0.1:9464/metrics'],
      ['sandbox', 'http://127.0.0.1:4000'],
    ] as const,
  };

  it('one line per finished run: time, journey, target, outcome, duration, failing step and class', () => {
    expect(formatRunLine(passedRun, false)).toBe(
      `${at(passedRun.startedAt, 4000)} ✓ renewal · staging              success     4.0 s\n`,
    );
    expect(formatRunLine(failedRun, false)).toBe(
      `${at(failedRun.startedAt, 8123.4)} ✗ purchase · staging             failure     8.1 s  step payment · payment_declined\n`,
    );
    expect(formatRunLine(erroredRun, false)).toMatch(
      /! seat-change · staging +error +\S+ s {2}step \S.* · browser\n$/,
    );
  });

  it('prints the banner when ready and again on one line every N run lines', () => {
    const out = fakeTerminal(true);
    const reporter = terminalReporter(out, 2);
    reporter.announce(banner);
    expect(out.text).toBe(
      [
        'journey-prober demo: probing the sandbox',
        '  status page: http://127.0.0.1:9464/',
        '  metrics:     http://127.0.0.1:9464/metrics',
        '  sandbox:     http://127.0.0.1:4000',
        '',
      ].join('\n'),
    );
    out.text = '';
    const run = { journey: {} as never, target: 'staging', runId: 'r' };
    for (const r of [passedRun, failedRun, passedRun, passedRun, failedRun])
      void reporter.sink.onResult(r, run);
    const lines = out.text.trimEnd().split('\n');
    const reminder =
      '── status page http://127.0.0.1:9464/ · metrics http://127.0.0.1:9464/metrics · sandbox http://127.0.0.1:4000';
    expect(lines.map((l) => (l === reminder ? 'banner' : l.includes('✓') ? 'ok' : 'fail'))).toEqual([
      'ok',
      'fail',
      'banner',
      'ok',
      'ok',
      'banner',
      'fail',
    ]);
  });

  it('NO_COLOR / FORCE_COLOR: colour codes only on a colour terminal', () => {
    expect(formatRunLine(failedRun, false)).not.toContain('\u001b[');
    expect(formatRunLine(failedRun, true)).toContain('\u001b[31m');
  });
});

describe('--log-format and PROBER_LOG_FORMAT', () => {
  it.each([
    ['a terminal, nothing asked', undefined, true, {}, 'text'],
    ['a pipe, nothing asked', undefined, false, {}, 'json'],
    ['--log-format json on a terminal', 'json', true, {}, 'json'],
    ['--log-format text on a pipe', 'text', false, {}, 'text'],
    ['PROBER_LOG_FORMAT=json on a terminal', undefined, true, { PROBER_LOG_FORMAT: 'json' }, 'json'],
    ['the flag wins over the environment', 'text', false, { PROBER_LOG_FORMAT: 'json' }, 'text'],
  ] as const)('%s', (_name, flag, isTTY, env, format) => {
    expect(logFormatFor(flag, { isTTY }, env)).toBe(format);
  });

  it('refuses an unknown PROBER_LOG_FORMAT in one line', () => {
    expect(() => logFormatFor(undefined, { isTTY: true }, { PROBER_LOG_FORMAT: 'yaml' })).toThrow(
      'PROBER_LOG_FORMAT "yaml" is not one of auto, text, json',
    );
  });
});
