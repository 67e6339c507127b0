import type { Locator, Page } from 'journey-prober';
import { ConfirmStep } from './confirm-step.js';
import { declare, type Locators } from './locators.js';
import { OrderSummary } from './order-summary.js';
import { PaymentForm } from './payment-form.js';
import { arrive, ui } from './ui.js';

/** `/gitlab/namespaces/:group/renew`: seats for the next term, payment, "Renew subscription". */
export class RenewPage {
  readonly users: Locator;
  readonly continueToPayment: Locator;
  readonly summary: OrderSummary;
  readonly payment: PaymentForm;
  readonly confirmStep: ConfirmStep;
  readonly locators: Locators;

  constructor(readonly page: Page) {
    this.users = page.getByTestId('seats');
    this.continueToPayment = page.getByRole('button', { name: 'Continue to payment' });
    this.summary = new OrderSummary(page);
    this.payment = new PaymentForm(page);
    this.confirmStep = new ConfirmStep(page, 'renew-subscription');
    this.locators = declare({ users: this.users, continueToPayment: this.continueToPayment });
  }

  /** After "Renew" on the card: the page, or the portal's reason why it cannot renew (`precondition`). */
  async expectShown(): Promise<void> {
    await arrive(this.page, this.users, 'the renewal page', 'precondition');
  }

  async setSeats(seats: number): Promise<void> {
    await this.users.fill(String(seats));
    await ui(this.users, 'the number of users for the next term').toHaveValue(String(seats));
  }

  async toPayment(): Promise<void> {
    await ui(this.continueToPayment, '"Continue to payment" once the seats are valid').toBeEnabled();
    await this.continueToPayment.click();
    await ui(this.users, 'the renewal seats step, finished').toBeHidden();
  }
}
