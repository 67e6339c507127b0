import type { Locator, Page } from 'journey-prober';
import { ConfirmStep } from './confirm-step.js';
import { OrderSummary } from './order-summary.js';
import type { BillingAddress } from './params.js';
import { PaymentForm } from './payment-form.js';
import { chooseOption } from './select-option.js';
import { declare, guess, type Locators } from './locators.js';
import { arrive, ui } from './ui.js';

/**
 * `/subscriptions/new?gl_namespace_id=…&plan_id=…`: the four-step checkout for an existing
 * group (subscription details, billing
 * address, payment method, confirm) with its order summary. Only the active step's body is
 * shown; a step's "Continue" button is enabled once the step is valid.
 */
export class CheckoutPage {
  readonly activeStep: Locator;
  readonly plan: Locator;
  readonly group: Locator;
  /** A returning customer's read-only address: no form to fill. */
  readonly contactInformation: Locator;
  readonly users: Locator;
  readonly continueToBilling: Locator;
  readonly billingForm: Locator;
  readonly country: Locator;
  readonly street: Locator;
  readonly city: Locator;
  readonly state: Locator;
  readonly zip: Locator;
  readonly continueToPayment: Locator;
  readonly summary: OrderSummary;
  readonly payment: PaymentForm;
  readonly confirmStep: ConfirmStep;
  readonly locators: Locators;

  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {
    this.activeStep = page.getByTestId('active-step-body');
    this.plan = page.getByTestId('plan-name');
    this.group = page.getByTestId('group-name');
    this.contactInformation = page.getByTestId('contact-information');
    this.users = page.getByTestId('number-of-users');
    this.continueToBilling = page.getByRole('button', { name: 'Continue to billing' });
    this.billingForm = page.getByTestId('checkout-billing-address-form');
    this.country = this.billingForm.getByLabel('Country', { exact: true });
    this.street = this.billingForm.getByTestId('street-address-1');
    this.city = this.billingForm.getByLabel('City', { exact: true });
    this.state = this.billingForm.getByLabel('State', { exact: true });
    this.zip = this.billingForm.getByLabel('Zip code', { exact: true });
    this.continueToPayment = page.getByRole('button', { name: 'Continue to payment' });
    this.summary = new OrderSummary(page);
    this.payment = new PaymentForm(page);
    this.confirmStep = new ConfirmStep(page, 'confirm-purchase');
    // The unified purchase flow's steps are a guess of the flows file; the URL and the
    // payment iframe are facts.
    this.locators = declare({
      plan: guess(this.plan),
      group: guess(this.group),
      users: guess(this.users),
      continueToBilling: guess(this.continueToBilling),
    });
  }

  /**
   * Opens the checkout for a group (numeric GitLab.com id) and a catalogue plan id, the URL
   * GitLab's purchase links build. A group the portal refuses (unknown, not owned, a
   * subgroup, already subscribed) fails as `precondition` with the portal's words.
   */
  async goto(groupId: string, planId: string): Promise<void> {
    const query = new URLSearchParams({ gl_namespace_id: groupId, plan_id: planId });
    await this.page.goto(`${this.baseUrl}/subscriptions/new?${query.toString()}`);
    await arrive(this.page, this.plan, 'the subscription details step of the checkout', 'precondition');
  }

  /** The plan the checkout is for, as the link chose it (read-only on today's portal). */
  async expectPlan(planName: string): Promise<void> {
    await ui(this.plan, 'the plan of the checkout').toContainText(planName);
  }

  /** The group the checkout buys for (read-only): its name, to find its card afterwards. */
  async groupName(): Promise<string> {
    await ui(this.group, 'the group of the checkout').toBeVisible();
    return (await this.group.innerText()).trim();
  }

  async setSeats(seats: number): Promise<void> {
    await this.users.fill(String(seats));
    await ui(this.users, 'the number of users').toHaveValue(String(seats));
  }

  /** Leaves subscription details for the billing address step. */
  async toBilling(): Promise<void> {
    await ui(this.continueToBilling, '"Continue to billing" once the details are valid').toBeEnabled();
    await this.continueToBilling.click();
    await ui(this.continueToPayment, 'the billing address step').toBeVisible();
  }

  /** A new customer's address form; a returning customer's "Contact information" needs nothing. */
  async fillAddress(address: BillingAddress): Promise<void> {
    await ui(this.continueToPayment, 'the billing step').toBeVisible();
    if (await this.contactInformation.isVisible()) return;
    await chooseOption(this.country, address.country, 'country');
    await this.street.fill(address.street);
    await this.city.fill(address.city);
    if (address.state !== undefined && (await this.state.isVisible())) {
      await chooseOption(this.state, address.state, 'state');
    }
    await this.zip.fill(address.zip);
  }

  /** Leaves the billing address for the payment method step. */
  async toPayment(): Promise<void> {
    await ui(this.continueToPayment, '"Continue to payment" once the address is valid').toBeEnabled();
    await this.continueToPayment.click();
    await ui(this.continueToPayment, 'the billing address step, finished').toBeHidden();
  }
}
