import { fail, type Account, type FrameLocator, type Locator, type Page } from 'journey-prober';
import { classOfPaymentMessage, failOnLimit, isLimitExceeded } from './messages.js';
import type { TestCard } from './params.js';
import { declare, guess, type Locators } from './locators.js';
import { anyOf, ui } from './ui.js';

/**
 * The payment method step: a spinner, then the provider's hosted form in the cross-origin
 * `iframe#z_hppm_iframe` (Zuora's HPM on the real portal). Errors the provider reports
 * reach the portal page (`payment-error`); field errors stay inside the frame.
 */
export class PaymentForm {
  readonly container: Locator;
  readonly pageError: Locator;
  readonly frame: FrameLocator;
  readonly holder: Locator;
  readonly number: Locator;
  readonly expiryMonth: Locator;
  readonly expiryYear: Locator;
  readonly cvv: Locator;
  readonly submit: Locator;
  readonly fieldErrors: Locator;
  /** The next step's terms checkbox: shown once the card is accepted. */
  readonly accepted: Locator;
  /** The payment step's summary once accepted: "Visa ending in 1111". */
  readonly summary: Locator;
  /** A returning customer's choice: "Add new credit card" (the journeys test the form) or "Select existing card". */
  readonly addNewCard: Locator;
  readonly existingCard: Locator;
  readonly locators: Locators;

  constructor(readonly page: Page) {
    this.container = page.locator('#zuora_payment');
    this.pageError = page.getByTestId('payment-error');
    this.frame = page.frameLocator('#z_hppm_iframe');
    this.holder = this.frame.locator('#input-creditCardHolderName');
    this.number = this.frame.locator('#input-creditCardNumber');
    this.expiryMonth = this.frame.locator('#input-creditCardExpirationMonth');
    this.expiryYear = this.frame.locator('#input-creditCardExpirationYear');
    this.cvv = this.frame.locator('#input-cardSecurityCode');
    this.submit = this.frame.getByRole('link', { name: 'Review your order' });
    this.fieldErrors = this.frame.locator('[id^="error-"]:not(:empty)');
    this.accepted = page.getByTestId('privacy-and-terms-confirm');
    this.summary = page.getByText(/ending in \d{4}/).first();
    this.addNewCard = page.getByRole('radio', { name: 'Add new credit card' });
    this.existingCard = page.getByRole('radio', { name: 'Select existing card' });
    // The iframe and its field ids are facts (GitLab's last public code and portal QA); the
    // card choice is a guess, and the provider may move to its newer "Payment Forms".
    this.locators = declare({
      container: this.container,
      holder: this.holder,
      number: this.number,
      expiryMonth: this.expiryMonth,
      expiryYear: this.expiryYear,
      cvv: this.cvv,
      submit: this.submit,
    });
    this.choiceLocators = declare({
      addNewCard: guess(this.addNewCard),
      existingCard: guess(this.existingCard),
    });
  }

  /** The saved-card choice, shown to returning customers only. */
  readonly choiceLocators: Locators;

  /**
   * Waits for the card fields, at most `timeoutMs`. "Credit card form failed to load" or a
   * form that never shows fails the step as `payment_form`.
   */
  async expectLoaded(timeoutMs: number): Promise<void> {
    try {
      await ui(anyOf(this.container, this.pageError, this.addNewCard), 'the payment step').toBeVisible({
        timeout: timeoutMs,
      });
    } catch {
      fail(
        'payment_form',
        `the payment form did not load within ${timeoutMs} ms (the payment step never showed)`,
      );
    }
    if (await this.addNewCard.isVisible()) await this.addNewCard.check();
    const shown = anyOf(this.container, this.pageError);
    try {
      await ui(shown, 'the payment form').toBeVisible({ timeout: timeoutMs });
    } catch {
      fail(
        'payment_form',
        `the payment form did not load within ${timeoutMs} ms (iframe#z_hppm_iframe never ready)`,
      );
    }
    await this.#failOnPageError('the payment form');
    await ui(this.number, 'the card number field of the payment form').toBeVisible();
  }

  /** Types the test card; nothing is sent to the provider until `submitCard()`. */
  async fillCard(card: TestCard): Promise<void> {
    await this.holder.fill(card.holder);
    await this.number.fill(card.number.reveal());
    await this.expiryMonth.selectOption(card.expiryMonth);
    await this.expiryYear.selectOption(card.expiryYear);
    await this.cvv.fill(card.cvv.reveal());
    await ui(this.number, 'the card number as typed').toHaveValue(card.number.reveal());
    await ui(this.submit, '"Review your order" in the payment form').toBeVisible();
  }

  /**
   * Sends the card to the provider ("Review your order"). A decline, insufficient funds or
   * 3-D Secure fails the step as `payment_declined` with the provider's words. Accepted, the
   * step's summary must name the card: "Visa ending in 1111".
   */
  async submitCard(card: TestCard, timeoutMs: number, account?: Account): Promise<void> {
    account?.cardBudget?.submitted();
    this.#account = account;
    await this.submit.click();
    try {
      await ui(anyOf(this.accepted, this.pageError), 'the card accepted').toBeVisible({ timeout: timeoutMs });
    } catch (error) {
      const field = (await this.fieldErrors.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      if (field.length > 0)
        fail('payment_declined', `the payment form rejected the card: ${field.join(' ')}`);
      throw error;
    }
    await this.#failOnPageError('the card');
    const last4 = card.number.reveal().replace(/\D/g, '').slice(-4);
    await ui(this.summary, 'the payment summary').toContainText(`ending in ${last4}`);
  }

  async #errorText(): Promise<string | undefined> {
    return (await this.pageError.isVisible()) ? (await this.pageError.innerText()).trim() : undefined;
  }

  #account: Account | undefined;

  async #failOnPageError(what: string): Promise<void> {
    const text = await this.#errorText();
    if (text === undefined) return;
    if (isLimitExceeded(text)) failOnLimit(text, this.#account);
    const cls = classOfPaymentMessage(text) ?? 'payment_form';
    fail(cls, `${what}: ${text}`);
  }
}
