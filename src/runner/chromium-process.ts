import { readdirSync, readFileSync } from 'node:fs';

/** Switches that keep a probing browser quiet and predictable. */
const BASE_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
] as const;

/**
 * Chromium's command line: `--no-sandbox` when running as root (Chromium refuses to start
 * sandboxed as root) or when PROBER_NO_SANDBOX=1, the base switches, then `extra`.
 */
export function chromiumArgs(
  extra: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
  uid: number | undefined = process.getuid?.(),
): string[] {
  const noSandbox = uid === 0 || env.PROBER_NO_SANDBOX === '1';
  return [...(noSandbox ? ['--no-sandbox'] : []), ...BASE_ARGS, ...extra];
}

/**
 * The pid of the process whose command line holds `marker` (a switch unique to one
 * launch, which Chromium ignores). Linux only (/proc); undefined elsewhere or when gone.
 * Playwright does not expose the pid of a launched browser; tests need it to kill it.
 */
export function findPidByArg(marker: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(marker) && !args.some((a) => a.startsWith('--type='))) found.push(Number(entry));
    } catch {
      /* the process ended while we looked */
    }
  }
  return found.length === 0 ? undefined : Math.min(...found);
}
