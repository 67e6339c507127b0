import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** The Chromium binary and its process: where it is, its switches, its pid, why it would not start. */

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
 * The advice Playwright boxes into its browser logs (a headed browser without an X server:
 * "… use 'xvfb-run <your-playwright-app>' …"), on one line, without the box and the signature.
 */
function playwrightHint(logs: string): string | undefined {
  const lines = [...logs.matchAll(/^\s*║(.*)║\s*$/gm)]
    .map((m) => m[1]?.trim() ?? '')
    .filter((line) => line !== '' && !line.startsWith('<3'));
  return lines.length > 0 ? lines.join(' ') : undefined;
}

/**
 * A failed launch in one line: Playwright's first line, how Chromium exited and the last
 * lines it wrote on stderr (what says *why*: a missing library, a bad switch, a wrapper's
 * complaint), which Playwright puts in its "Browser logs" that messages otherwise drop, and
 * Playwright's own advice when it gave one (a headed browser without a display: xvfb-run).
 */
export function launchFailureDetail(raw: string): string {
  const first = raw.split('\n')[0]?.trim() ?? '';
  const logs = raw.split(/\nCall log:/)[0] ?? '';
  const said = [...logs.matchAll(/^\[pid=\d+\]\[err\] (.+)$/gm)]
    .map((m) => m[1]?.trim() ?? '')
    .filter((line) => line !== '')
    .slice(-2);
  const exit = /<process did exit: (exitCode=[^,]*, signal=[^>]*)>/.exec(raw)?.[1];
  return [first, playwrightHint(logs), exit, said.length > 0 ? `it wrote: ${said.join(' | ')}` : undefined]
    .filter((part) => part !== undefined && part !== '')
    .join('; ');
}

/** Where the browser comes from: the environment, Playwright's download, or the system. */
export interface ResolvedBrowser {
  readonly path: string;
  readonly source: 'env' | 'playwright' | 'system';
}

/** No Chromium anywhere the prober looks; the message names every place looked. */
export class BrowserNotFoundError extends Error {
  override readonly name = 'BrowserNotFoundError';
  constructor(readonly looked: readonly string[]) {
    super(
      `no Chromium found (looked at ${looked.join(', ')}): install Debian's chromium or set PROBER_BROWSER_PATH`,
    );
  }
}

/**
 * System locations, best first: Debian's real binary (its /usr/bin/chromium is a wrapper
 * script that costs ~20 ms per launch), then the usual names.
 */
export const SYSTEM_BROWSERS = [
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
] as const;

function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * PROBER_BROWSER_PATH (which must exist), else Playwright's installed Chromium if its
 * executable exists, else the system's Chromium.
 * @throws BrowserNotFoundError naming every place looked.
 */
export function resolveBrowserPath(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
  playwrightPath: () => string | undefined = playwrightChromium,
): ResolvedBrowser {
  const fromEnv = env.PROBER_BROWSER_PATH?.trim();
  if (fromEnv) {
    if (exists(fromEnv)) return { path: fromEnv, source: 'env' };
    throw new BrowserNotFoundError([`PROBER_BROWSER_PATH=${fromEnv} (does not exist)`]);
  }
  const looked: string[] = ['PROBER_BROWSER_PATH (not set)'];
  const bundled = playwrightPath();
  if (bundled !== undefined) {
    if (exists(bundled)) return { path: bundled, source: 'playwright' };
    looked.push(`Playwright's Chromium at ${bundled}`);
  }
  for (const path of SYSTEM_BROWSERS) {
    if (exists(path)) return { path, source: 'system' };
    looked.push(path);
  }
  throw new BrowserNotFoundError(looked);
}
