import type { Locator, Page } from 'journey-prober';
import { SubscriptionCard } from './subscription-card.js';
import { declare, type Locators } from './locators.js';
import { arrive, ui } from './ui.js';

/** `/subscriptions`: the account's subscription cards and the flash notice after an order. */
export class SubscriptionsPage {
  readonly heading: Locator;
  readonly cards: Locator;
  readonly notice: Locator;
  readonly locators: Locators;

  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {
    this.heading = page.getByRole('heading', { name: 'Subscriptions & purchases' });
    this.cards = page.locator('[data-testid^="subscription-card-"]');
    this.notice = page.getByTestId('flash-notice');
    this.locators = declare({ heading: this.heading });
  }

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/subscriptions`);
    await this.expectShown();
  }

  /** The page as it is when the browser is already on it (after signing in), else loaded afresh. */
  async open(): Promise<void> {
    if (new URL(this.page.url()).pathname === '/subscriptions') await this.expectShown();
    else await this.goto();
  }

  async expectShown(): Promise<void> {
    await arrive(this.page, this.heading, 'the subscriptions page');
  }

  /** The card of a subscription by id (e.g. "A-S00010001"). */
  byId(subscriptionId: string): SubscriptionCard {
    return new SubscriptionCard(this.page.getByTestId(`subscription-card-${subscriptionId}`));
  }

  /** The card of the subscription of a group, by the group's name. */
  byGroup(groupName: string): SubscriptionCard {
    return new SubscriptionCard(
      this.cards.filter({
        has: this.page.getByTestId('subscription-group').getByText(groupName, { exact: true }),
      }),
    );
  }

  /** The account's only card; an account with several must name its subscription. */
  only(): SubscriptionCard {
    return new SubscriptionCard(this.cards);
  }

  /** After an order: the portal's notice, e.g. "Seats added. Your subscription was updated." */
  async expectNotice(text: string | RegExp): Promise<void> {
    await ui(this.notice, 'the notice after the order').toContainText(text);
  }
}
