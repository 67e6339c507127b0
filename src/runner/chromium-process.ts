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

/**
 * A failed launch in one line: Playwright's first line, how Chromium exited and the last
 * lines it wrote on stderr (what says *why*: a missing library, a bad switch, a wrapper's
 * complaint), which Playwright puts in its "Browser logs" that messages otherwise drop.
 */
export function launchFailureDetail(raw: string): string {
  const first = raw.split('\n')[0]?.trim() ?? '';
  const logs = raw.split(/\nCall log:/)[0] ?? '';
  const said = [...logs.matchAll(/^\[pid=\d+\]\[err\] (.+)$/gm)]
    .map((m) => m[1]?.trim() ?? '')
    .filter((line) => line !== '')
    .slice(-2);
  const exit = /<process did exit: (exitCode=[^,]*, signal=[^>]*)>/.exec(raw)?.[1];
  return [first, exit, said.length > 0 ? `it wrote: ${said.join(' | ')}` : undefined]
    .filter((part) => part !== undefined && part !== '')
    .join('; ');
}
