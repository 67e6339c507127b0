import { fail, type Account, type Page, type TargetInfo } from 'journey-prober';
import { signIn } from './sign-in.page.js';
import type { SubscriptionCard } from './subscription-card.js';
import { SubscriptionsPage } from './subscriptions.page.js';
import { TargetParamError } from './params.js';
import { anyOf, ui } from './ui.js';

/**
 * Steps every journey shares: signing in, finding the subscription to work on, and the
 * cleanup that turns auto-renew off so a probe's order never renews by itself.
 */

export { signIn };

/**
 * The card of the subscription a journey works on: the account's (sandbox accounts name it),
 * else the target param `subscriptionId`, else the account's only one. None: `precondition`.
 */
export async function subscriptionCard(
  page: Page,
  target: TargetInfo,
  account: Account,
): Promise<SubscriptionCard> {
  const subscriptions = new SubscriptionsPage(page, target.baseUrl);
  await subscriptions.open();
  const none = page.getByTestId('no-subscriptions');
  await ui(anyOf(subscriptions.cards, none), 'the subscription cards').toBeVisible();
  const id = account.subscriptionId ?? target.params.subscriptionId;
  const card = id === undefined ? subscriptions.only() : subscriptions.byId(id);
  const count = await card.root.count();
  if (count === 0) {
    fail(
      'precondition',
      id === undefined ? 'the account has no subscription' : `subscription ${id} is not on the account`,
    );
  }
  if (count > 1) {
    throw new TargetParamError(`the account has ${count} subscriptions: set target param "subscriptionId"`);
  }
  return card;
}

/**
 * Cleanup: turns auto-renew off on a card ("Cancel subscription" in its actions menu) and
 * checks the portal's notice. A card that is gone or already off: nothing to do.
 */
export async function turnOffAutoRenew(
  page: Page,
  target: TargetInfo,
  pick: (subscriptions: SubscriptionsPage) => SubscriptionCard,
): Promise<'cancelled' | 'nothing to do'> {
  const subscriptions = new SubscriptionsPage(page, target.baseUrl);
  await subscriptions.goto();
  const card = pick(subscriptions);
  if ((await card.root.count()) !== 1) return 'nothing to do';
  if (!(await card.cancelAutoRenew())) return 'nothing to do';
  await subscriptions.expectNotice('it will not renew');
  return 'cancelled';
}
