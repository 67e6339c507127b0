import { defineJourney, fail, type RunContext } from 'journey-prober';
import { subscriptionCard } from './pages/account-flows.js';
import { AddSeatsPage } from './pages/add-seats.page.js';
import { CheckoutPage } from './pages/checkout.page.js';
import type { OrderSummary } from './pages/order-summary.js';
import { declare, type Locators } from './pages/locators.js';
import { billingAddress, intParam, paymentFormTimeout, planChoice } from './pages/params.js';
import type { PaymentForm } from './pages/payment-form.js';
import { RenewPage } from './pages/renew.page.js';
import { freshSignIn, GitlabSignInPage, PortalSignInPage } from './pages/sign-in.page.js';
import { SubscriptionsPage } from './pages/subscriptions.page.js';
import { ui } from './pages/ui.js';

/**
 * `journey-prober doctor`: the journeys' pages walked read-only, every declared locator of
 * each page object looked up where the journeys use it. Never sends a card form (the payment
 * form is opened, not submitted), never confirms, never cancels. Each finding is an
 * annotation `locator:<page>:<page object>.<name>` = found | missing | ambiguous (`:guess`
 * when the flows file only guesses it); the command turns them into its report.
 */

/** Counts each locator now: 0 missing, 1 found, more ambiguous (a strict-mode failure waiting to happen). */
async function look(
  ctx: Pick<RunContext, 'annotate'>,
  page: string,
  object: string,
  locators: Locators,
): Promise<void> {
  for (const [name, declared] of Object.entries(locators)) {
    const count = await declared.locator.count();
    const status = count === 0 ? 'missing' : count === 1 ? 'found' : 'ambiguous';
    ctx.annotate(`locator:${page}:${object}.${name}`, declared.guess ? `${status}:guess` : status);
  }
}

/** Sign-in, the subscriptions page, add seats up to the loaded payment form: an account with a subscription. */
export const subscriptionWalk = defineJourney({
  name: 'doctor-subscriptions',
  description: 'doctor: sign-in pages, subscriptions, add seats up to the payment form (read-only)',
  accountState: 'active',
  steps: ['sign in', 'subscriptions', 'add seats'],
  async run(ctx) {
    const { page, target, step, account } = ctx;
    await step('sign in', async () => {
      const portal = new PortalSignInPage(page, target.baseUrl);
      await portal.goto();
      await look(ctx, '/customers/sign_in', 'PortalSignInPage', {
        continueWithGitlab: portal.locators.continueWithGitlab!,
      });
      await portal.continueWithGitlab.click();
      const gitlab = new GitlabSignInPage(page);
      await ui(gitlab.login.or(portal.signedIn).first(), 'GitLab.com sign-in').toBeVisible();
      const { login, password, signIn } = gitlab.locators;
      await look(ctx, 'GitLab.com /users/sign_in', 'GitlabSignInPage', {
        login: login!,
        password: password!,
        signIn: signIn!,
      });
      await freshSignIn(page, portal, account, false);
      await look(ctx, '/subscriptions', 'PortalSignInPage', { signOut: portal.locators.signOut! });
    });
    const card = await step('subscriptions', async () => {
      const subscriptions = new SubscriptionsPage(page, target.baseUrl);
      await subscriptions.open();
      await look(ctx, '/subscriptions', 'SubscriptionsPage', subscriptions.locators);
      const found = await subscriptionCard(page, target, account);
      await look(ctx, '/subscriptions', 'SubscriptionCard', found.locators);
      return found;
    });
    await step('add seats', async () => {
      await card.addSeats();
      const addSeats = new AddSeatsPage(page);
      await addSeats.expectShown();
      const path = new URL(page.url()).pathname;
      await look(ctx, path, 'AddSeatsPage', addSeats.locators);
      await addSeats.setAdditionalSeats(1);
      await lookAtSummary(ctx, path, addSeats.summary, true);
      await addSeats.toPayment();
      await openPaymentForm(ctx, path, addSeats.payment);
    });
  },
});

/** The checkout for a free group up to the loaded payment form: an account with a free group. */
export const checkoutWalk = defineJourney({
  name: 'doctor-checkout',
  description: 'doctor: the new-subscription checkout up to the payment form (read-only)',
  accountState: 'none',
  steps: ['sign in', 'checkout'],
  async run(ctx) {
    const { page, target, step, account } = ctx;
    if (account.releaseGroup)
      ctx.cleanup('give the group back', () => Promise.resolve(account.releaseGroup?.()));
    await signInQuietly(ctx);
    await step('checkout', async () => {
      const groupId = account.groupId;
      if (groupId === undefined)
        fail('precondition', 'the account has no free group to open the checkout for (groupIds)');
      const checkout = new CheckoutPage(page, target.baseUrl);
      await checkout.goto(groupId, planChoice(target.params).id);
      await look(ctx, '/subscriptions/new', 'CheckoutPage', checkout.locators);
      await checkout.setSeats(intParam(target.params, 'purchaseSeats', 5, 1, 10_000));
      await lookAtSummary(ctx, '/subscriptions/new', checkout.summary, false);
      await checkout.toBilling();
      await checkout.fillAddress(billingAddress(target.params));
      await checkout.toPayment();
      await openPaymentForm(ctx, '/subscriptions/new', checkout.payment);
    });
  },
});

/** The renew page up to the loaded payment form: an account whose subscription is in its renewal window. */
export const renewalWalk = defineJourney({
  name: 'doctor-renewal',
  description: 'doctor: the renew page up to the payment form (read-only)',
  accountState: 'renewable',
  steps: ['sign in', 'renew'],
  async run(ctx) {
    const { page, target, step, account } = ctx;
    await signInQuietly(ctx);
    await step('renew', async () => {
      const card = await subscriptionCard(page, target, account);
      // Offered only inside the renewal window, so not among the card's own locators.
      await look(ctx, '/subscriptions', 'SubscriptionCard', declare({ renew: card.renewLink }));
      await card.renew();
      const renew = new RenewPage(page);
      await renew.expectShown();
      const path = new URL(page.url()).pathname;
      await look(ctx, path, 'RenewPage', renew.locators);
      await lookAtSummary(ctx, path, renew.summary, false);
      await renew.toPayment();
      await openPaymentForm(ctx, path, renew.payment);
    });
  },
});

/** The order summary once its price preview settled; a seat change's proration lines too. */
async function lookAtSummary(
  ctx: Pick<RunContext, 'annotate'>,
  path: string,
  summary: OrderSummary,
  seatChange: boolean,
): Promise<void> {
  await summary.settled();
  await look(ctx, path, 'OrderSummary', summary.locators);
  if (seatChange) await look(ctx, path, 'OrderSummary', summary.seatChangeLocators);
}

/** The walks' sign-in when the sign-in pages were already looked at (subscriptionWalk does). */
function signInQuietly(
  ctx: Pick<RunContext<'sign in'>, 'page' | 'target' | 'step' | 'account'>,
): Promise<void> {
  return ctx.step('sign in', async () => {
    const portal = new PortalSignInPage(ctx.page, ctx.target.baseUrl);
    await portal.goto();
    await freshSignIn(ctx.page, portal, ctx.account, true);
  });
}

/** Loads the payment form (no card is typed or sent) and looks up its fields inside the iframe. */
async function openPaymentForm(
  ctx: Pick<RunContext, 'annotate' | 'target'>,
  path: string,
  payment: PaymentForm,
): Promise<void> {
  // The saved-card choice is shown to returning customers only.
  await ui(payment.container.or(payment.addNewCard).first(), 'the payment step').toBeVisible();
  if ((await payment.addNewCard.count()) > 0) await look(ctx, path, 'PaymentForm', payment.choiceLocators);
  await payment.expectLoaded(paymentFormTimeout(ctx.target.params));
  await look(ctx, `${path} (payment iframe)`, 'PaymentForm', payment.locators);
}

export default [subscriptionWalk, checkoutWalk, renewalWalk];
