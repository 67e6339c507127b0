import type { Locator, Page } from 'journey-prober';
import { ConfirmStep } from './confirm-step.js';
import { OrderSummary } from './order-summary.js';
import type { BillingAddress } from './params.js';
import { PaymentForm } from './payment-form.js';
import { chooseOption } from './select-option.js';
import { arrive, ui } from './ui.js';

/**
 * `/subscriptions/new?plan_id=…`: the four-step checkout (subscription details, billing
 * address, payment method, confirm) with its order summary. Only the active step's body is
 * shown; a step's "Continue" button is enabled once the step is valid.
 */
export class CheckoutPage {
  readonly activeStep: Locator;
  readonly plan: Locator;
  readonly group: Locator;
  readonly companyName: Locator;
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

  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {
    this.activeStep = page.getByTestId('active-step-body');
    this.plan = page.getByTestId('plan-name');
    this.group = page.getByTestId('group-name');
    this.companyName = page.getByLabel('Company or group name');
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
  }

  /** Opens the checkout for a plan id (a catalogue id on the real portal). */
  async goto(planId: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/subscriptions/new?plan_id=${encodeURIComponent(planId)}`);
    await arrive(this.page, this.plan, 'the subscription details step of the checkout');
  }

  async choosePlan(planName: string): Promise<void> {
    await this.plan.selectOption({ label: planName });
    await ui(this.plan.locator('option:checked'), 'the chosen plan').toHaveText(planName);
  }

  /** "Create a new group" and its name: a probe never touches an existing group. */
  async createGroup(name: string): Promise<void> {
    await this.group.selectOption({ label: 'Create a new group' });
    await this.companyName.fill(name);
    await ui(this.companyName, 'the new group name').toHaveValue(name);
  }

  async setSeats(seats: number): Promise<void> {
    await this.users.fill(String(seats));
    await ui(this.users, 'the number of users').toHaveValue(String(seats));
  }

  /** Leaves subscription details for the billing address step. */
  async toBilling(): Promise<void> {
    await ui(this.continueToBilling, '"Continue to billing" once the details are valid').toBeEnabled();
    await this.continueToBilling.click();
    await ui(this.billingForm, 'the billing address step').toBeVisible();
  }

  async fillAddress(address: BillingAddress): Promise<void> {
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
    await ui(this.billingForm, 'the billing address step, finished').toBeHidden();
  }
}
