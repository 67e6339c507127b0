import { fail, type Locator, type Page, type Request } from 'journey-prober';
import type { Account } from 'journey-prober';
import { declare, type Locators } from './locators.js';
import { classOfPaymentMessage, failOnLimit, isLimitExceeded, isRetryable } from './messages.js';
import { PRESENT_MS, ui } from './ui.js';

/** How often confirm is clicked at most when the provider answers with a transient error. */
export const CONFIRM_TRIES = 3;

/** How long one click may take to be answered: placing an order at the provider takes seconds. */
const CONFIRM_WAIT_MS = 25_000;

/**
 * The last step of every purchase flow: the terms checkbox and the button that places the
 * order ("Confirm purchase", "Purchase seats", "Renew subscription"). The order carries an
 * idempotency key, so clicking again after a transient error cannot order twice.
 */
export class ConfirmStep {
  readonly terms: Locator;
  readonly button: Locator;
  readonly error: Locator;
  /** Shown only once a card was accepted, so `doctor`'s read-only walk never reaches them. */
  readonly locators: Locators;

  constructor(
    readonly page: Page,
    /** The button's test id, e.g. `confirm-purchase`: a deploy that drops it breaks the journey. */
    private readonly buttonTestId: string,
  ) {
    this.terms = page.getByTestId('privacy-and-terms-confirm');
    this.button = page.getByTestId(buttonTestId);
    this.error = page.getByTestId('confirm-error');
    this.locators = declare({ terms: this.terms, button: this.button });
  }

  /** Accepts the terms; the button must then be there and enabled (a missing one is an `assertion`). */
  async acceptTerms(): Promise<void> {
    await ui(this.terms, 'the terms checkbox of the confirm step').toBeVisible();
    await this.terms.check();
    try {
      await ui(this.button).toBeVisible({ timeout: PRESENT_MS });
    } catch {
      fail(
        'assertion',
        `the confirm button [data-testid="${this.buttonTestId}"] is missing from the confirm step`,
      );
    }
    await ui(this.button, 'the confirm button once the terms are accepted').toBeEnabled();
  }

  /**
   * Clicks confirm until the portal accepts the order, at most `tries` times: only "lock
   * competition" earns another click (Attempt_Exceed_Limitation does not: see failOnLimit) (still refused after
   * `tries`: `http_error`). Accepted means the browser starts loading the next page; what that
   * page shows is the next step's business (so a slow or broken landing page is not blamed on
   * confirm). Returns how many retries it took. A decline fails as `payment_declined`; any
   * other error through an assertion, so the runner names the HTTP status the page saw.
   */
  async confirm(tries: number = CONFIRM_TRIES, account?: Account): Promise<number> {
    let text = '';
    for (let attempt = 1; attempt <= tries; attempt++) {
      if ((await this.#submit()) === 'accepted') return attempt - 1;
      text = (await this.error.innerText()).trim();
      // The card-submission limit passes in minutes, not on another click.
      if (isLimitExceeded(text)) failOnLimit(`confirm: ${text}`, account);
      if (!isRetryable(text)) break;
    }
    if (isRetryable(text)) fail('http_error', `confirm: still refused after ${tries} tries: ${text}`);
    const cls = classOfPaymentMessage(text);
    if (cls !== undefined) fail(cls, `confirm: ${text}`);
    ui(text, 'the portal refused the order').toBe('');
    return fail('assertion', 'the portal refused the order without saying why');
  }

  /**
   * One click, and the portal's answer: the main frame starts loading another document
   * (accepted), or the error line shows (refused). The two are raced rather than polled: a
   * page that is navigating away answers no query until the next document commits, and that
   * next document may hang. The loser is left to settle on its own (its rejection ignored).
   */
  async #submit(): Promise<'accepted' | 'refused'> {
    let onRequest: ((request: Request) => void) | undefined;
    const accepted = new Promise<'accepted'>((resolve) => {
      onRequest = (request) => {
        if (request.isNavigationRequest() && request.frame() === this.page.mainFrame()) resolve('accepted');
      };
      this.page.on('request', onRequest);
    });
    try {
      // noWaitAfter: the click must not wait for the next page to commit either.
      await this.button.click({ noWaitAfter: true });
      const refused = this.error
        .waitFor({ state: 'visible', timeout: CONFIRM_WAIT_MS })
        .then(() => 'refused' as const);
      refused.catch(() => undefined);
      return await Promise.race([accepted, refused]);
    } finally {
      if (onRequest) this.page.off('request', onRequest);
    }
  }
}
