import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The unprivileged account the container's user stands for on this machine. */
export const UNPRIVILEGED = { uid: 65534, gid: 65534 } as const;

/**
 * argv that runs `command` as the unprivileged user when we are root (setpriv execs it,
 * so the pid is the command's own); unchanged when we already are unprivileged.
 */
export function asUnprivileged(command: readonly string[]): string[] {
  if (process.getuid?.() !== 0) return [...command];
  const { uid, gid } = UNPRIVILEGED;
  return ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', ...command];
}

/**
 * Whether the unprivileged user may create a user namespace, which Chromium's sandbox needs;
 * where it cannot (a container under a default seccomp profile), the image's documented
 * answer is PROBER_NO_SANDBOX=1.
 */
export function userNamespacesWork(): boolean {
  const [command, ...args] = asUnprivileged(['unshare', '--user', 'true']);
  return spawnSync(command!, args, { timeout: 10_000 }).status === 0;
}

/** Pids of live processes whose environment holds `NAME=value` (Linux /proc). */
export function pidsWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (environ.includes(needle) && state !== 'Z') pids.push(Number(entry));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

/** The real uid of a process. */
export function uidOf(pid: number): number | undefined {
  try {
    const line = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line?.[1] === undefined ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}

/** The command line of a process, space-joined. */
export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
