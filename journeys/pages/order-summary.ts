import { fail, type Locator, type Page } from 'journey-prober';
import { formatPortalDate } from './calendar.js';
import { declare, type Locators } from './locators.js';
import { formatCents, formatPrice } from './money.js';
import type { ExpectedQuote, ExpectedSeatChange } from './pricing.js';
import { PRESENT_MS, ui } from './ui.js';

/** Tax and discount the summary should show, in cents. */
export interface Extras {
  readonly taxCents: number;
  readonly discountCents: number;
}

/**
 * The order summary beside every purchase flow (`order-summary`): plan and seats, price
 * per user, term dates, subtotal, discount, tax and total, filled by the price preview.
 * Its checks compare the page with an independently computed quote, to the cent.
 */
export class OrderSummary {
  readonly root: Locator;
  readonly selectedPlan: Locator;
  readonly perUser: Locator;
  readonly dates: Locator;
  readonly subtotal: Locator;
  readonly discount: Locator;
  readonly tax: Locator;
  readonly total: Locator;
  readonly previewError: Locator;
  /** Seat changes only: "265 of 365 days", the price of all seats and the credit. */
  readonly proratedDays: Locator;
  readonly allSeatsPrice: Locator;
  readonly credit: Locator;
  /**
   * What every summary shows once the preview settled (`doctor` looks them up). The discount
   * line (absent without a discount) and the preview's error are left out: missing is normal.
   */
  readonly locators: Locators;
  /** The proration lines of a seat change's summary. */
  readonly seatChangeLocators: Locators;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('order-summary');
    this.selectedPlan = this.root.getByTestId('selected-plan');
    this.perUser = this.root.getByTestId('per-user');
    this.dates = this.root.getByTestId('dates');
    this.subtotal = this.root.getByTestId('total-ex-vat');
    this.discount = this.root.getByTestId('discount');
    this.tax = this.root.getByTestId('vat');
    this.total = this.root.getByTestId('total-amount');
    this.previewError = this.root.getByTestId('price-preview-error');
    this.proratedDays = this.root.getByTestId('prorated-days');
    this.allSeatsPrice = this.root.getByTestId('all-seats-price');
    this.credit = this.root.getByTestId('credit');
    this.locators = declare({
      root: this.root,
      selectedPlan: this.selectedPlan,
      perUser: this.perUser,
      dates: this.dates,
      subtotal: this.subtotal,
      tax: this.tax,
      total: this.total,
    });
    this.seatChangeLocators = declare({
      proratedDays: this.proratedDays,
      allSeatsPrice: this.allSeatsPrice,
      credit: this.credit,
    });
  }

  /**
   * Waits for the price preview to settle. Its failure ("Something went wrong while loading
   * price details.") is the portal's pricing service failing: `http_error`, with its text.
   */
  async settled(): Promise<void> {
    await ui(this.root, 'the order summary').toHaveAttribute('aria-busy', 'false');
    if (await this.previewError.isVisible()) {
      fail('http_error', `price preview failed: ${(await this.previewError.innerText()).trim()}`);
    }
  }

  /** Plan and seats, price per user, term, subtotal, discount, tax and total, each to the cent. */
  async expectQuote(planName: string, quote: ExpectedQuote, extras: Extras): Promise<void> {
    await this.settled();
    const seats = `${quote.seats} × ${formatPrice(quote.perUserCents)}`;
    const check = (locator: Locator, line: string, expected: string): Promise<void> =>
      ui(locator, `order summary ${line} (expected ${expected})`).toHaveText(expected, {
        timeout: PRESENT_MS,
      });
    await check(this.selectedPlan, 'plan', `${planName} plan (x${quote.seats})`);
    await check(this.perUser, 'price per user', `${formatPrice(quote.perUserCents)} per user per year`);
    await check(
      this.dates,
      'term',
      `${formatPortalDate(quote.termStart)} - ${formatPortalDate(quote.termEnd)}`,
    );
    await check(this.subtotal, `subtotal for ${seats}`, formatCents(quote.subtotalCents));
    // No discount: the line is absent or reads "–"; no tax rate: "–" (customersdot-flows.md).
    if (extras.discountCents === 0) {
      await ui(this.discount, 'order summary discount (expected none)')
        .toHaveText(/^(?:–|\$0\.00)?$/, {
          timeout: PRESENT_MS,
        })
        .catch(async (error: unknown) => {
          if ((await this.discount.count()) > 0) throw error;
        });
    } else await check(this.discount, 'discount', formatCents(extras.discountCents));
    if (extras.taxCents === 0) {
      await ui(this.tax, 'order summary tax (expected none)').toHaveText(/^(?:–|\$0\.00)$/, {
        timeout: PRESENT_MS,
      });
    } else await check(this.tax, 'tax', formatCents(extras.taxCents));
    const total = quote.subtotalCents - extras.discountCents + extras.taxCents;
    await check(this.total, 'total', formatCents(total));
  }

  /** A seat change: the proration lines too (days, all seats, credit), then the totals. */
  async expectSeatChange(planName: string, quote: ExpectedSeatChange, extras: Extras): Promise<void> {
    await this.settled();
    const check = (locator: Locator, line: string, expected: string): Promise<void> =>
      ui(locator, `purchase summary ${line} (expected ${expected})`).toHaveText(expected, {
        timeout: PRESENT_MS,
      });
    await check(this.proratedDays, 'days left in term', `${quote.remainingDays} of ${quote.termDays} days`);
    await check(this.allSeatsPrice, `price for all ${quote.seats} seats`, formatCents(quote.allSeatsCents));
    await check(this.credit, 'credit for seats already paid', formatCents(-quote.creditCents));
    await this.expectQuote(planName, quote, extras);
  }
}
