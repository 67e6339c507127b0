import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { reapedChildrenCpuMs, treeCpuMs } from './procfs.js';

/** A child the benchmark started did not do what it should (exit code, timeout, no output). */
export class ChildProcessError extends Error {
  override readonly name = 'ChildProcessError';
}

export interface SpawnOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Killed (its whole process group) after this long. */
  readonly timeoutMs: number;
}

/** One finished child: wall time from spawn to exit, and the CPU of its whole tree. */
export interface TimedExit {
  readonly code: number | null;
  readonly wallMs: number;
  /** CPU of the child and every descendant it reaped, as /usr/bin/time counts it. */
  readonly cpuMs: number;
  /** The tree's CPU at the last poll before exit: a lower bound, to check `cpuMs` against. */
  readonly cpuMsPolled: number;
  readonly stdout: string;
  readonly stderr: string;
  /** `Date.now()` when the child was spawned. */
  readonly spawnedAt: number;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs a command to completion in its own process group and measures it. Only one timed
 * child may run at a time: the CPU count is this process's reaped-children time, which
 * would otherwise mix children.
 */
export async function runTimed(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): Promise<TimedExit> {
  const cpuBefore = reapedChildrenCpuMs();
  const spawnedAt = Date.now();
  const t0 = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let polled = 0;
  const poll = setInterval(() => {
    if (child.pid !== undefined) polled = Math.max(polled, treeCpuMs(child.pid));
  }, 200);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), options.timeoutMs);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    const wallMs = performance.now() - t0;
    if (child.signalCode === 'SIGKILL') {
      throw new ChildProcessError(`${command} ${args.join(' ')}: killed after ${options.timeoutMs} ms`);
    }
    return {
      code,
      wallMs,
      cpuMs: reapedChildrenCpuMs() - cpuBefore,
      cpuMsPolled: polled,
      stdout,
      stderr,
      spawnedAt,
    };
  } finally {
    clearInterval(poll);
    clearTimeout(timer);
    killGroup(child, 'SIGKILL'); // anything it left behind in its group
  }
}

/** A long-lived child (sandbox, serve): its lines as they come, and a bounded stop. */
export interface LongChild {
  readonly pid: number;
  readonly spawnedAt: number;
  /** Resolves with the first stdout line matching `test`, or rejects after `timeoutMs`. */
  waitForLine(test: (line: string) => boolean, timeoutMs: number): Promise<string>;
  readonly lines: readonly string[];
  readonly stderr: () => string;
  /** SIGTERM to the group, then SIGKILL after `graceMs`. Resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'timeoutMs'>,
): LongChild {
  const spawnedAt = Date.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new ChildProcessError(`${command}: could not spawn`);
  const lines: string[] = [];
  const waiters = new Set<{ test: (l: string) => boolean; resolve: (l: string) => void }>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters) {
      if (w.test(line)) {
        waiters.delete(w);
        w.resolve(line);
      }
    }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid,
    spawnedAt,
    lines,
    stderr: () => stderr,
    waitForLine(test, timeoutMs) {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          test,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new ChildProcessError(
              `${command}: no expected line within ${timeoutMs} ms; stderr: ${stderr.slice(-500)}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new ChildProcessError(`${command} exited; stderr: ${stderr.slice(-500)}`));
        });
      });
    },
    async stop(graceMs = 20_000) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
    },
  };
}
