import { describe, expect, it } from 'vitest';
import { aliveInGroup, ChildUnderTest, runCli } from './process.js';

/** The process harness itself: bounded waits, whole groups stopped, output kept. */
describe('the process harness', () => {
  it('kills the whole process group of a child that outlives its bound', async () => {
    // A shell with a child of its own: both must go.
    const child = new ChildUnderTest('sh', ['-c', 'sleep 30 & echo started; wait']);
    const t0 = Date.now();
    const exit = await child.finished(500);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(aliveInGroup(child.pid)).toEqual([]);
  });

  it('keeps stdout and stderr whole and reports the exit code', async () => {
    const child = new ChildUnderTest('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(await child.finished(10_000)).toEqual({ code: 3, signal: null });
    expect(child.stdout).toBe('out\n');
    expect(child.stderr).toBe('err\n');
  });

  it('runs the CLI to its exit code: a bad flag is one line on stderr, exit 2', async () => {
    const run = await runCli(['--definitely-not-a-flag'], { timeoutMs: 30_000 });
    expect(run.exit.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
