import type { Locator, Page } from 'journey-prober';
import { ConfirmStep } from './confirm-step.js';
import { OrderSummary } from './order-summary.js';
import { PaymentForm } from './payment-form.js';
import { declare, type Locators } from './locators.js';
import { arrive, ui } from './ui.js';

/**
 * `/gitlab/namespaces/:group/extra_seats`: number of additional users, the prorated
 * purchase summary ("You are only charged for the net change"), payment, "Purchase seats".
 */
export class AddSeatsPage {
  readonly additional: Locator;
  readonly currentSeats: Locator;
  readonly continueToPayment: Locator;
  readonly summary: OrderSummary;
  readonly payment: PaymentForm;
  readonly confirmStep: ConfirmStep;
  readonly locators: Locators;

  constructor(readonly page: Page) {
    this.additional = page.getByTestId('number-of-additional-users');
    this.currentSeats = page.getByTestId('current-seats');
    this.continueToPayment = page.getByRole('button', { name: 'Continue to payment' });
    this.summary = new OrderSummary(page);
    this.payment = new PaymentForm(page);
    this.confirmStep = new ConfirmStep(page, 'purchase-seats');
    this.locators = declare({ additional: this.additional, continueToPayment: this.continueToPayment });
  }

  /** After "Add seats" on the card: the page, or the portal's reason why seats cannot be added (`precondition`). */
  async expectShown(): Promise<void> {
    await arrive(this.page, this.additional, 'the add seats page', 'precondition');
  }

  async setAdditionalSeats(seats: number): Promise<void> {
    await this.additional.fill(String(seats));
    await ui(this.additional, 'the number of additional users').toHaveValue(String(seats));
  }

  async toPayment(): Promise<void> {
    await ui(this.continueToPayment, '"Continue to payment" once the seats are valid').toBeEnabled();
    await this.continueToPayment.click();
    await ui(this.additional, 'the add seats step, finished').toBeHidden();
  }
}
