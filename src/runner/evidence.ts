import type { BrowserContext, Page } from '@playwright/test';
import { MIN_COOKIE_SECRET_LENGTH } from './redact.js';
import type { RequestRecord } from './observer.js';
import { bestEffort } from './timing.js';

/** What one attempt leaves behind for its artifacts (before any scrubbing). */
export interface Evidence {
  /** Full-page PNG taken when the attempt failed, password inputs masked. */
  readonly screenshot?: Buffer;
  /** The raw trace in a temporary file: it holds secrets until scrubbed. */
  readonly tracePath?: string;
  readonly consoleLines: readonly string[];
  readonly requests: readonly RequestRecord[];
}

/** Bounds on evidence capture: a hung page must not hold the run. */
export const SCREENSHOT_TIMEOUT_MS = 5_000;
const STOP_LOADING_TIMEOUT_MS = 1_000;
export const TRACE_STOP_TIMEOUT_MS = 15_000;
export const COOKIES_TIMEOUT_MS = 2_000;

/**
 * A full-page screenshot with every password input masked; undefined when it cannot be
 * taken. Pending loads are stopped first: Chromium does not capture a page while a
 * navigation is pending (a hanging server would cost the whole screenshot timeout).
 */
export async function screenshot(page: Page): Promise<Buffer | undefined> {
  await bestEffort(async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.stopLoading');
    await cdp.detach();
  }, STOP_LOADING_TIMEOUT_MS);
  return bestEffort(
    () =>
      page.screenshot({
        fullPage: true,
        mask: [page.locator('input[type="password"]')],
        animations: 'disabled',
        timeout: SCREENSHOT_TIMEOUT_MS,
      }),
    SCREENSHOT_TIMEOUT_MS + 500,
  );
}

/** Stops tracing; saves to `path` when `keep`, else discards. Returns the path when saved. */
export async function stopTracing(
  context: BrowserContext,
  keep: boolean,
  path: string,
): Promise<string | undefined> {
  const saved = await bestEffort(async () => {
    await context.tracing.stop(keep ? { path } : {});
    return keep;
  }, TRACE_STOP_TIMEOUT_MS);
  return saved ? path : undefined;
}

/** Values of the context's cookies long enough to be secrets (sessions, CSRF tokens). */
export async function cookieSecrets(context: BrowserContext): Promise<string[]> {
  const cookies = (await bestEffort(() => context.cookies(), COOKIES_TIMEOUT_MS)) ?? [];
  return cookies.map((c) => c.value).filter((v) => v.length >= MIN_COOKIE_SECRET_LENGTH);
}
