import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ChildUnderTest, ProberProcess, type Exit } from '../helpers/process.js';

/**
 * What a person at a terminal sees, under a real pseudo-terminal (`script` from util-linux):
 * `demo` prints its banner and a line per finished run, no JSON; piped, it writes JSON lines
 * only; `run` redraws the step in progress on stderr, and only on a terminal.
 */
const dir = mkdtempSync(join(tmpdir(), 'prober-terminal-'));
const started: ChildUnderTest[] = [];
afterAll(() => {
  for (const child of started) child.kill();
  rmSync(dir, { recursive: true, force: true });
});

const ENV = { PROBER_LISTEN: '127.0.0.1:0', TERM: 'xterm', NO_COLOR: '1' };

/** `journey-prober ARGS` under a pseudo-terminal; `script -e` exits with the command's code. */
function underTty(args: readonly string[]): ChildUnderTest {
  // exec: the prober is script's own child, so it is the one a signal reaches.
  const command = `exec ${[process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ')}`;
  const child = new ChildUnderTest('script', ['-q', '-e', '-c', command, '/dev/null'], {
    env: ENV,
    cwd: dir,
  });
  started.push(child);
  return child;
}

/** Resolves once `test` holds of the child's output, or rejects after `ms`. */
async function until(child: ChildUnderTest, test: (out: string) => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test(child.stdout)) {
    if (!child.running) throw new Error(`exited early: ${child.stdout}${child.stderr}`);
    if (Date.now() > deadline) throw new Error(`not seen in ${ms} ms: ${child.stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SIGTERM to the prober under `script` (as Ctrl-C's signal would reach it), then its exit. */
async function stopUnderTty(child: ChildUnderTest): Promise<Exit> {
  execFileSync('pkill', ['-TERM', '-P', String(child.pid)]);
  return child.finished(60_000);
}

const RUN_LINE = /^\d\d:\d\d:\d\d [✓~✗!] (purchase|renewal|seat-change) · sandbox +\w+ +[\d.]+ m?s/m;

describe('on a terminal', () => {
  it('demo: a banner with the URLs and one line per finished run, no log blocks', async () => {
    const demo = underTty(['demo']);
    await until(demo, (out) => RUN_LINE.test(out), 150_000);
    const text = demo.stdout.replace(/\r/g, '');
    expect(text).toMatch(/^journey-prober demo: probing the sandbox every 30 s with /m);
    expect(text).toMatch(/^ {2}status page: http:\/\/127\.0\.0\.1:\d+\/$/m);
    expect(text).toMatch(/^ {2}metrics: {5}http:\/\/127\.0\.0\.1:\d+\/metrics$/m);
    expect(text).toMatch(/^ {2}sandbox: {5}http:\/\/127\.0\.0\.1:\d+$/m);
    // Neither JSON nor pino-pretty's info blocks: the run line says it.
    expect(text).not.toContain('{"level"');
    expect(text).not.toMatch(/INFO|step finished|schedules armed/);
    // NO_COLOR: no colour codes in what the prober wrote.
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/\u001b\[\d+m/);
    expect((await stopUnderTty(demo)).code).toBe(0);
    expect(demo.stdout.replace(/\r/g, '')).toMatch(/^stopping: \d+ run\(s\) in progress get up to \d+ s$/m);
  }, 240_000);

  it('run: the step in progress on one redrawn line, then the report', async () => {
    const run = underTty(['run', 'seat-change']);
    const exit = await run.finished(150_000);
    expect(exit.code).toBe(0);
    expect(run.stdout).toContain('\r\u001b[2K  … sign in  0 s');
    expect(run.stdout).toMatch(/✓ seat-change · sandbox: success in/);
  }, 200_000);
});

describe('not on a terminal', () => {
  it('demo writes JSON lines only, the URLs a log line of their own', async () => {
    const demo = new ProberProcess(['demo'], ENV, dir);
    started.push(demo);
    const deadline = Date.now() + 90_000;
    while (!demo.stdout.includes('schedules armed') && demo.running && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    await demo.stop();
    const lines = demo.stdout.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    const ready = demo.logLines().find((l) => String(l.msg).startsWith('journey-prober demo:'));
    expect(ready?.status_page).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(ready?.metrics).toMatch(/\/metrics$/);
  }, 150_000);

  it('run writes no progress line into a pipe', async () => {
    const run = new ProberProcess(['run', 'seat-change'], ENV, dir);
    started.push(run);
    const exit = await run.finished(150_000);
    expect(exit.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('\u001b[2K');
    expect(run.stdout).toMatch(/✓ seat-change · sandbox: success in/);
  }, 200_000);
});
