import { fail, type Locator, type Page, type Request } from 'journey-prober';
import { classOfPaymentMessage, isRetryable } from './messages.js';
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

  constructor(
    readonly page: Page,
    /** The button's test id, e.g. `confirm-purchase`: a deploy that drops it breaks the journey. */
    private readonly buttonTestId: string,
  ) {
    this.terms = page.getByTestId('privacy-and-terms-confirm');
    this.button = page.getByTestId(buttonTestId);
    this.error = page.getByTestId('confirm-error');
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
   * competition" and "Attempt exceed the limitation" earn another click (still refused after
   * `tries`: `http_error`). Accepted means the browser starts loading the next page; what that
   * page shows is the next step's business (so a slow or broken landing page is not blamed on
   * confirm). Returns how many retries it took. A decline fails as `payment_declined`; any
   * other error through an assertion, so the runner names the HTTP status the page saw.
   */
  async confirm(tries: number = CONFIRM_TRIES): Promise<number> {
    let text = '';
    for (let attempt = 1; attempt <= tries; attempt++) {
      const leaving = this.#watchNavigation();
      try {
        // noWaitAfter: the click must not wait for the next page to commit; a slow or hanging
        // landing page is the next step's finding, and `leaving` already tells us it started.
        await this.button.click({ noWaitAfter: true });
        await ui(async () => {
          if (!leaving.started) await ui(this.error).toBeVisible({ timeout: 250 });
        }, 'the portal to accept or refuse the order').toPass({ intervals: [100], timeout: CONFIRM_WAIT_MS });
      } finally {
        leaving.stop();
      }
      if (leaving.started) return attempt - 1;
      text = (await this.error.innerText()).trim();
      if (!isRetryable(text)) break;
    }
    if (isRetryable(text)) fail('http_error', `confirm: still refused after ${tries} tries: ${text}`);
    const cls = classOfPaymentMessage(text);
    if (cls !== undefined) fail(cls, `confirm: ${text}`);
    ui(text, 'the portal refused the order').toBe('');
    return fail('assertion', 'the portal refused the order without saying why');
  }

  /** Notes when the main frame starts loading another document (the order was accepted). */
  #watchNavigation(): { readonly started: boolean; stop(): void } {
    const state = { started: false, stop: () => this.page.off('request', onRequest) };
    const onRequest = (request: Request): void => {
      if (request.isNavigationRequest() && request.frame() === this.page.mainFrame()) state.started = true;
    };
    this.page.on('request', onRequest);
    return state;
  }
}
