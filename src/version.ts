import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** How long `chromium --version` may take before the version is reported as unknown. */
const BROWSER_VERSION_TIMEOUT_MS = 5_000;

function packageJson(specifier: string): { version?: unknown; browsers?: unknown } {
  try {
    return JSON.parse(readFileSync(require.resolve(specifier), 'utf8')) as { version?: unknown };
  } catch {
    return {};
  }
}

function versionOf(specifier: string): string {
  const { version } = packageJson(specifier);
  return typeof version === 'string' ? version : 'unknown';
}

/**
 * Playwright's own Chromium, located without loading Playwright (that alone costs ~0.5 s of
 * CPU, three times this whole command): its revision from browsers.json, under
 * PLAYWRIGHT_BROWSERS_PATH or the default cache. Linux x64 layout only; elsewhere the lookup
 * falls through to the system browsers, as the runner's resolution does when this is absent.
 */
function playwrightChromium(env: NodeJS.ProcessEnv): string | undefined {
  const { browsers } = packageJson('playwright-core/browsers.json');
  if (!Array.isArray(browsers)) return undefined;
  const chromium = (browsers as { name?: unknown; revision?: unknown }[]).find((b) => b.name === 'chromium');
  if (typeof chromium?.revision !== 'string') return undefined;
  const root = env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  return join(root, `chromium-${chromium.revision}`, 'chrome-linux64', 'chrome');
}

/** The order of src/runner/browser-path.ts (DESIGN.md "Set-up"), without importing Playwright. */
function browserPath(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env.PROBER_BROWSER_PATH?.trim();
  if (fromEnv) return fromEnv;
  const candidates = [
    playwrightChromium(env),
    '/usr/lib/chromium/chromium',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ];
  return candidates.find((path) => path !== undefined && existsSync(path));
}

function browserVersion(path: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(path, ['--version'], { timeout: BROWSER_VERSION_TIMEOUT_MS }, (error, stdout) => {
      const line = stdout.trim().split('\n')[0]?.trim();
      resolve(error === null && line ? line : 'unknown (it did not answer --version)');
    });
  });
}

/** `--version`: this package's version, Playwright's and the browser's (DESIGN.md "Commands"). */
export async function versionText(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const path = browserPath(env);
  const browser =
    path === undefined
      ? 'not found (install chromium or set PROBER_BROWSER_PATH)'
      : `${await browserVersion(path)} (${path})`;
  return [
    `journey-prober ${versionOf('../package.json')}`,
    `playwright ${versionOf('@playwright/test/package.json')}`,
    `browser ${browser}`,
  ].join('\n');
}
