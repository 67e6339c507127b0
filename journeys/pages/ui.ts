import { expect, fail, type Locator, type Page } from 'journey-prober';
import { PORTAL_TEXT } from './messages.js';
import { signInAgain } from './sign-in.page.js';

/**
 * Web-first assertions for portal pages, patient enough for a slow page (15 s). The step's
 * own timeout still bounds every wait: a page that never comes ends the step as `timeout`.
 */
export const ui = expect.configure({ timeout: 15_000 });

/** A short bound for things that are already on the page once its step is shown. */
export const PRESENT_MS = 2_000;

/**
 * The first VISIBLE element among several locators: what to wait on when a page may show one
 * of a few outcomes (a plain `a.or(b).first()` may pick a hidden element that comes first).
 */
export function anyOf(first: Locator, ...others: Locator[]): Locator {
  return others
    .reduce((all, next) => all.or(next), first)
    .filter({ visible: true })
    .first();
}

/** What a page answered instead of the one a journey expected. */
export interface Arrival {
  /** The portal's outage page (a 5xx seen by the customer). */
  readonly outage: Locator;
  /** An error page that says why the portal refused (e.g. renewal not open yet). */
  readonly refusal: Locator;
}

export function arrivalOf(page: Page): Arrival {
  return {
    outage: anyOf(page.getByTestId('outage'), page.getByText(PORTAL_TEXT.outage)),
    refusal: page.getByTestId('error-message'),
  };
}

/**
 * Fails the step as `http_error` when the page shows the portal's outage page (a 5xx): what
 * a page that waits for one of its own controls must check, or it waits out its whole bound.
 */
export async function failIfOutage(page: Page): Promise<void> {
  const { outage } = arrivalOf(page);
  if (await outage.isVisible()) await httpFailure(page, oneLine(await outage.innerText()));
}

/** `expected`, or any page the portal answers with instead: "the browser left for the next page". */
export function landing(page: Page, expected: Locator): Locator {
  const { outage, refusal } = arrivalOf(page);
  return anyOf(expected, outage, refusal);
}

/** The HTTP status of the document the page shows (Navigation Timing), when the browser knows it. */
async function documentStatus(page: Page): Promise<number | undefined> {
  interface NavigationEntry {
    readonly responseStatus?: number;
  }
  interface WithPerformance {
    readonly performance: { getEntriesByType(type: string): NavigationEntry[] };
  }
  const status = await page
    .evaluate(
      () =>
        (globalThis as unknown as WithPerformance).performance.getEntriesByType('navigation')[0]
          ?.responseStatus,
    )
    .catch(() => undefined);
  return typeof status === 'number' && status > 0 ? status : undefined;
}

/** "HTTP 503 on GET /subscriptions: <what the page says>", the runner's wording for HTTP failures. */
async function httpFailure(page: Page, text: string): Promise<never> {
  const status = await documentStatus(page);
  const path = new URL(page.url()).pathname;
  return fail(
    'http_error',
    `${status === undefined ? 'error page' : `HTTP ${status}`} on GET ${path}: ${text}`,
  );
}

/**
 * Waits until `expected` shows, or the portal shows its outage page or an error page
 * instead. Either fails the step as `http_error` with the document's status and path
 * (the click that led there may belong to the previous step, so the page, not the runner,
 * names the status); a refusal fails as `refusedAs` when given: the page says why.
 */
export async function arrive(
  page: Page,
  expected: Locator,
  what: string,
  refusedAs?: 'precondition',
): Promise<void> {
  const { refusal } = arrivalOf(page);
  // The session expired mid-run: the portal sends the browser to its sign-in page. Sign in
  // again (counted) and the portal brings the browser back to where it was going.
  const signInButton = page.getByRole('button', { name: 'Continue with GitLab.com account' });
  await ui(anyOf(landing(page, expected), signInButton), what).toBeVisible();
  if ((await signInButton.isVisible()) && (await signInAgain(page))) {
    await ui(landing(page, expected), what).toBeVisible();
  }
  await failIfOutage(page);
  if (await refusal.isVisible()) {
    const text = oneLine(await refusal.innerText());
    if (refusedAs !== undefined) fail(refusedAs, text);
    await httpFailure(page, text);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
