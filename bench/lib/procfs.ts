import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and memory of process trees from /proc (Linux): how the benchmarks count
 * Chromium, whose work happens in a dozen processes the Node.js process cannot see.
 */

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux/x86). */
const TICKS_PER_SECOND = 100;

interface Stat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime, in ms. */
  readonly selfMs: number;
  /** cutime + cstime: children this process has waited for, in ms. */
  readonly reapedMs: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const num = (i: number): number => Number(fields[i] ?? 0);
  const toMs = (ticks: number): number => (ticks * 1000) / TICKS_PER_SECOND;
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  return {
    pid,
    ppid: num(1),
    selfMs: toMs(num(11) + num(12)),
    reapedMs: toMs(num(13) + num(14)),
  };
}

function allStats(): Stat[] {
  const out: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat !== undefined) out.push(stat);
  }
  return out;
}

/** `root` and every live descendant of it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const s of allStats()) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * CPU ms spent by a process tree so far: each live process's own time plus the time of
 * the children it reaped (Chromium's renderers die with their context and are reaped by
 * a zygote that lives on). Deltas of this number are a run's CPU cost.
 */
export function treeCpuMs(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    const stat = readStat(pid);
    if (stat !== undefined) total += stat.selfMs + stat.reapedMs;
  }
  return total;
}

/** CPU ms of this process's children that it has reaped (what /usr/bin/time reports for a child). */
export function reapedChildrenCpuMs(): number {
  return readStat(process.pid)?.reapedMs ?? 0;
}

/** Pids whose command line holds `needle` (a marker argument given to a Chromium). */
export function pidsWithArg(needle: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (args.includes(needle)) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The process of a tree whose parent is outside the given set: Chromium's main process. */
export function topmost(pids: readonly number[]): number | undefined {
  const set = new Set(pids);
  return pids.find((pid) => !set.has(readStat(pid)?.ppid ?? -1));
}

/** Memory of a set of processes, in MiB: RSS counts shared pages once per process, PSS shares them out. */
export interface TreeMemory {
  readonly rssMiB: number;
  readonly pssMiB: number;
  readonly processes: number;
}

function rollupKiB(pid: number): { rss: number; pss: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string): number =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rss: field('Rss'), pss: field('Pss') };
  } catch {
    return undefined;
  }
}

/** The command name of a process (`/proc/<pid>/comm`), '' when gone. */
export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Memory of `root`'s tree, or of the processes of it that `keep` selects. */
export function treeMemory(root: number, keep: (pid: number) => boolean = () => true): TreeMemory {
  let rss = 0;
  let pss = 0;
  let processes = 0;
  for (const pid of processTree(root)) {
    if (!keep(pid)) continue;
    const m = rollupKiB(pid);
    if (m === undefined) continue;
    rss += m.rss;
    pss += m.pss;
    processes++;
  }
  return { rssMiB: rss / 1024, pssMiB: pss / 1024, processes };
}

/** Resident memory of one process alone, in MiB. */
export function processRssMiB(pid: number): number {
  const m = rollupKiB(pid);
  return m === undefined ? 0 : m.rss / 1024;
}
