import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one process harness of the end-to-end tests: for what is truly about processes
 * (signals, exit codes, SIGSTOP, the container entrypoint, a CLI's own output). Anything
 * else runs in-process (helpers/serve.ts).
 */

export const BIN = join(import.meta.dirname, '../../../bin/journey-prober.js');

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A child process in its own process group (so stopping it stops everything it started),
 * with its output kept. `env` is all it gets besides PATH and HOME, unless `inheritEnv`.
 */
export class ChildUnderTest {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;

  constructor(
    command: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; cwd?: string; inheritEnv?: boolean } = {},
  ) {
    const base =
      options.inheritEnv === true ? process.env : { PATH: process.env.PATH, HOME: process.env.HOME };
    this.child = spawn(command, [...args], {
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env: { ...base, ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (c: Buffer) => (this.stdout += c.toString('utf8')));
    this.child.stderr?.on('data', (c: Buffer) => (this.stderr += c.toString('utf8')));
    this.exited = new Promise((resolve) => {
      // The output is whole at 'close'; an orphan holding the pipes must not keep a test
      // waiting, so 'exit' resolves too, a second later at most.
      this.child.once('exit', (code, signal) => {
        const settle = (): void => resolve({ code, signal });
        const timer = setTimeout(settle, 1_000);
        this.child.once('close', () => {
          clearTimeout(timer);
          settle();
        });
      });
      this.child.once('error', (error) => {
        this.stderr += `spawn failed: ${error.message}\n`;
        resolve({ code: null, signal: null });
      });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('not started');
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Log lines (JSON) of stdout. */
  logLines(): Record<string, unknown>[] {
    return jsonLines(this.stdout);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** The exit, or the whole group killed once `timeoutMs` has passed without one. */
  async finished(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>(
      (resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)),
    );
    const exit = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (exit !== undefined) return exit;
    this.kill();
    return this.exited;
  }

  /** SIGTERM, then SIGKILL of everything left after `graceMs`. */
  async stop(graceMs = 30_000): Promise<Exit> {
    if (!this.running) return this.exited;
    this.signal('SIGTERM');
    return this.finished(graceMs);
  }

  /** Last resort in afterAll: the whole process group, then Chromium's own groups. */
  kill(): void {
    if (this.child.pid === undefined) return;
    for (const pgid of chromiumGroupsOf(this.pid)) tryKill(-pgid);
    tryKill(-this.pid);
  }
}

/** The prober's CLI (`node bin/journey-prober.js …`) as a child process. */
export class ProberProcess extends ChildUnderTest {
  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd?: string, inheritEnv = false) {
    super(process.execPath, [BIN, ...args], { env, inheritEnv, ...(cwd === undefined ? {} : { cwd }) });
  }
}

/** Runs the CLI to its end (killed, group and all, after `timeoutMs`). */
export async function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; inheritEnv?: boolean; timeoutMs?: number } = {},
): Promise<ProberProcess & { readonly exit: Exit }> {
  const prober = new ProberProcess(args, options.env, options.cwd, options.inheritEnv);
  const exit = await prober.finished(options.timeoutMs ?? 120_000);
  return Object.assign(prober, { exit });
}

/** JSON lines of a text (pino's output), the other lines left out. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone already */
  }
}

/** The command line and parent of a process, from /proc. */
function procInfo(pid: number): { ppid: number; pgid: number; cmdline: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { ppid: Number(fields[1]), pgid: Number(fields[2]), cmdline };
  } catch {
    return undefined;
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/**
 * Process groups of the Chromium browsers a prober started: Playwright starts each browser
 * as the leader of its own group (detached), as a child of the prober process.
 */
export function chromiumGroupsOf(proberPid: number): number[] {
  const groups = new Set<number>();
  for (const pid of pids()) {
    const info = procInfo(pid);
    if (info !== undefined && info.ppid === proberPid && /chrom/i.test(info.cmdline)) groups.add(info.pgid);
  }
  return [...groups];
}

/** Processes still alive in a process group. */
export function aliveInGroup(pgid: number): number[] {
  return pids().filter((pid) => {
    const info = procInfo(pid);
    // A zombie keeps its /proc entry until reaped: count only processes that still have a command line.
    return info !== undefined && info.pgid === pgid && info.cmdline !== '';
  });
}

/** Live (not zombie) processes in the given groups. */
export function liveChromium(groups: readonly number[]): number[] {
  return groups.flatMap((g) => aliveInGroup(g));
}

/** /proc/<pid>/stat fields: state and parent. */
export function procState(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Children of `pid` that are zombies (exited, never reaped by it). */
export function zombieChildren(pid: number): number[] {
  return pids().filter((p) => {
    const s = procState(p);
    return s !== undefined && s.ppid === pid && s.state === 'Z';
  });
}

/** Resident memory (kB) and open file descriptors of a process. */
export function footprint(pid: number): { rssKb: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { rssKb: rss, fds: readdirSync(`/proc/${pid}/fd`).length };
}
