import { fail, type Locator } from 'journey-prober';
import { formatPortalDate, parsePortalDate, type IsoDate } from './calendar.js';
import { declare, guess, type Locators } from './locators.js';
import { anyOf, PRESENT_MS, ui } from './ui.js';

/** What a subscription card says about its subscription. */
export interface CardFacts {
  readonly plan: string;
  readonly seats: number;
  readonly termStart: IsoDate;
  readonly termEnd: IsoDate;
}

/** One subscription's card on the subscriptions page: facts, Add seats, Renew, actions menu. */
export class SubscriptionCard {
  readonly plan: Locator;
  readonly group: Locator;
  readonly seats: Locator;
  readonly termStart: Locator;
  readonly termEnd: Locator;
  /** "Auto-renews on DATE" or "Expires on DATE". */
  readonly renewalStatus: Locator;
  readonly addSeatsLink: Locator;
  readonly renewLink: Locator;
  readonly actions: Locator;
  readonly cancelButton: Locator;
  readonly turnOnButton: Locator;
  /** In the actions menu before the renewal window: "Renewal opens on DATE". */
  readonly renewalOpens: Locator;
  readonly cancelDialog: Locator;
  readonly cancelReason: Locator;
  readonly confirmCancel: Locator;
  readonly namespaceId: Locator;
  readonly locators: Locators;

  constructor(readonly root: Locator) {
    this.plan = root.getByTestId('subscription-plan');
    this.group = root.getByTestId('subscription-group');
    this.seats = root.getByTestId('seats-in-subscription');
    this.termStart = root.getByTestId('term-start');
    this.termEnd = root.getByTestId('term-end');
    this.renewalStatus = root.getByTestId('subscription-renewal-status');
    this.addSeatsLink = root.getByRole('link', { name: 'Add seats' });
    this.renewLink = root.getByRole('link', { name: 'Renew', exact: true });
    this.actions = root.getByRole('button', { name: 'Subscription actions' });
    this.cancelButton = root
      .getByRole('menuitem', { name: 'Cancel subscription' })
      .or(root.getByTestId('cancel-subscription'));
    this.turnOnButton = root.getByTestId('turn-on-auto-renew');
    this.renewalOpens = root.getByTestId('renewal-opens');
    this.namespaceId = root.getByTestId('subscription-namespace-id');
    // The dialog opens over the page, outside the card.
    const page = root.page();
    this.cancelDialog = page.getByRole('dialog', { name: 'Cancel subscription' });
    this.cancelReason = this.cancelDialog.getByLabel('Reason for cancelling');
    this.confirmCancel = this.cancelDialog.getByRole('button', { name: 'Cancel subscription' });
    this.locators = declare({
      plan: this.plan,
      seats: this.seats,
      termEnd: this.termEnd,
      renewalStatus: this.renewalStatus,
      addSeats: this.addSeatsLink,
      actions: this.actions,
      namespaceId: guess(this.namespaceId),
    });
  }

  /** The subscription's id as the card shows it, e.g. "A-S00010001". */
  async subscriptionId(): Promise<string> {
    return (await this.root.getByTestId('subscription-id').innerText()).trim();
  }

  /** Plan, seats and term as the card shows them. */
  async facts(): Promise<CardFacts> {
    await ui(this.termEnd, 'the subscription card').toBeVisible();
    const seatsText = (await this.seats.innerText()).trim();
    const seats = /^\d+$/.test(seatsText) ? Number(seatsText) : NaN;
    ui(seats, `seats on the subscription card ("${seatsText}")`).toBeGreaterThan(0);
    return {
      plan: (await this.plan.innerText()).trim(),
      seats,
      termStart: parsePortalDate(await this.termStart.innerText()),
      termEnd: parsePortalDate(await this.termEnd.innerText()),
    };
  }

  /** The card shows these facts (only those given), each to the letter. */
  async expectFacts(expected: Partial<CardFacts>): Promise<void> {
    await ui(this.root, 'the subscription card').toBeVisible();
    if (expected.plan !== undefined)
      await ui(this.plan, 'plan on the card').toHaveText(expected.plan, { timeout: PRESENT_MS });
    if (expected.seats !== undefined)
      await ui(this.seats, 'seats on the card').toHaveText(String(expected.seats), { timeout: PRESENT_MS });
    if (expected.termStart !== undefined) {
      await ui(this.termStart, 'term start on the card').toHaveText(formatPortalDate(expected.termStart), {
        timeout: PRESENT_MS,
      });
    }
    if (expected.termEnd !== undefined) {
      await ui(this.termEnd, 'term end on the card').toHaveText(formatPortalDate(expected.termEnd), {
        timeout: PRESENT_MS,
      });
    }
  }

  /** Opens Add seats; a card without it fails as `precondition`. */
  async addSeats(): Promise<void> {
    if (!(await this.addSeatsLink.isVisible()))
      fail('precondition', 'the subscription card offers no "Add seats"');
    await this.addSeatsLink.click();
  }

  /** Opens Renew; outside the renewal window the card has no Renew: `precondition`, with the date it opens. */
  async renew(): Promise<void> {
    if (!(await this.renewLink.isVisible())) {
      const opens =
        (await this.renewalOpens.count()) > 0 ? (await this.renewalOpens.textContent())?.trim() : undefined;
      fail('precondition', `renewal is not offered for this subscription${opens ? ` (${opens})` : ''}`);
    }
    await this.renewLink.click();
  }

  /**
   * Turns auto-renew off through the card's actions menu ("Cancel subscription": on the
   * portal there is no delete; the subscription lapses at its term end). True when it did.
   */
  async cancelAutoRenew(reason = 'No longer needed'): Promise<boolean> {
    await this.actions.click();
    await ui(anyOf(this.cancelButton, this.turnOnButton), 'the subscription actions menu').toBeVisible({
      timeout: PRESENT_MS,
    });
    if (!(await this.cancelButton.isVisible())) return false;
    await this.cancelButton.click();
    // The cancel dialog: a reason is required, then "Cancel subscription" again.
    await ui(this.cancelDialog, 'the cancel dialog').toBeVisible();
    await this.cancelReason.selectOption({ label: reason });
    await ui(this.confirmCancel, 'the confirm button of the cancel dialog').toBeEnabled();
    await this.confirmCancel.click();
    return true;
  }
}
