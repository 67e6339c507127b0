import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

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
