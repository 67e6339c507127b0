import { defineJourney, fail } from 'journey-prober';
import { signIn, turnOffAutoRenew } from './pages/account-flows.js';
import { BillingPage } from './pages/billing.page.js';
import { todayUtc } from './pages/calendar.js';
import { CheckoutPage } from './pages/checkout.page.js';
import {
  ADDRESS_PARAMS,
  billingAddress,
  expectedExtras,
  intParam,
  PAYMENT_PARAMS,
  paymentFormTimeout,
  PLAN_PARAMS,
  planChoice,
  provisioningBound,
  testCard,
} from './pages/params.js';
import { yearlyQuote } from './pages/pricing.js';
import { SubscriptionsPage } from './pages/subscriptions.page.js';

/**
 * Buy a subscription for a new group, the way a new customer does, and check the money:
 * the order summary must show what the plan catalogue and the seat count imply, to the cent.
 */
export default defineJourney({
  name: 'purchase',
  description:
    'Buy a subscription for a free group: plan, seats, billing address, card, confirm, provisioned',
  tags: ['checkout', 'payment', 'mutates'],
  mutates: true,
  accountState: 'none',
  // One card form sent to the payment provider: the scheduler budgets it per account.
  cardSubmissions: 1,
  steps: ['sign in', 'subscription details', 'billing address', 'payment', 'confirm', 'provisioned'],
  // The target params it reads: a target without them is refused at load (exit 2).
  params: {
    ...PLAN_PARAMS,
    purchaseSeats: { type: 'int', min: 1, max: 10_000, default: 5 },
    ...ADDRESS_PARAMS,
    ...PAYMENT_PARAMS,
  },
  // Six steps of at most 30 s each would be 3 min; a real run takes 10-20 s plus provisioning
  // (up to a minute): 3 min bounds a run that is certainly broken.
  timeoutMs: 180_000,
  // A portal page or the payment provider slower than 30 s is an outage for a customer.
  stepTimeoutMs: 30_000,
  // Passing but slower than 60 s (provisioning included) is a degraded experience.
  latencyBudgetMs: 60_000,
  async run(ctx) {
    const { page, target, step, account, safeMode } = ctx;
    const plan = planChoice(target.params);
    const seats = intParam(target.params, 'purchaseSeats', 5, 1, 10_000);
    // A free test group: the sandbox makes one per account; staging lends one from a pool.
    const groupId = account.groupId;
    if (account.releaseGroup)
      ctx.cleanup('give the group back', () => Promise.resolve(account.releaseGroup?.()));
    const checkout = new CheckoutPage(page, target.baseUrl);
    const formTimeoutMs = paymentFormTimeout(target.params);
    const quote = yearlyQuote(plan.perUserCents, seats, todayUtc());
    // Every parameter is read before the first step: a bad one fails the run at once.
    const extras = expectedExtras(target.params);
    const address = billingAddress(target.params);
    const paymentCard = testCard(target);
    const bound = provisioningBound(target.params);

    await step('sign in', () => signIn(page, target, account));

    const groupName = await step('subscription details', async () => {
      if (groupId === undefined) fail('precondition', 'the account has no free group to buy for (groupIds)');
      await checkout.goto(groupId, plan.id);
      await checkout.expectPlan(plan.name);
      const name = await checkout.groupName();
      await checkout.setSeats(seats);
      await checkout.summary.expectQuote(plan.name, quote, extras);
      await checkout.toBilling();
      return name;
    });

    await step('billing address', async () => {
      await checkout.fillAddress(address);
      await checkout.toPayment();
    });

    await step('payment', async () => {
      await checkout.payment.expectLoaded(formTimeoutMs);
      // Typing the card is harmless everywhere; sending it to the provider is not (it
      // creates a payment method, and on production a card check), so safe mode stops here.
      await checkout.payment.fillCard(paymentCard);
      if (!safeMode) await checkout.payment.submitCard(paymentCard, formTimeoutMs, account);
    });

    if (safeMode) {
      ctx.annotate('safeMode', true);
      return;
    }

    // Registered before confirming: a confirm that fails half-way may still create the order.
    ctx.cleanup('cancel the probe subscription', async () => {
      await turnOffAutoRenew(page, target, (subscriptions) => subscriptions.byGroup(groupName));
    });

    await step('confirm', async () => {
      await checkout.confirmStep.acceptTerms();
      const retries = await checkout.confirmStep.confirm(undefined, account);
      ctx.annotate('confirmRetries', retries);
    });

    await step(
      'provisioned',
      async () => {
        const billing = new BillingPage(page);
        await billing.expectShown();
        await billing.expectProvisioned(groupName, plan.name, bound);
        const subscriptions = new SubscriptionsPage(page, target.baseUrl);
        await subscriptions.goto();
        await subscriptions
          .byGroup(groupName)
          .expectFacts({ plan: plan.name, seats, termEnd: quote.termEnd });
      },
      { timeoutMs: bound.timeoutMs + 15_000 },
    );
  },
});
