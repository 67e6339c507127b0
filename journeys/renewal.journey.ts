import { defineJourney } from 'journey-prober';
import { signIn, subscriptionCard, turnOffAutoRenew } from './pages/account-flows.js';
import {
  expectedExtras,
  intParam,
  PAYMENT_PARAMS,
  paymentFormTimeout,
  planPrice,
  testCard,
} from './pages/params.js';
import { yearlyQuote } from './pages/pricing.js';
import { RenewPage } from './pages/renew.page.js';
import { SubscriptionsPage } from './pages/subscriptions.page.js';

/**
 * Renew a subscription inside its renewal window (from 15 days before expiry): a full year
 * from the old term's end, seats x the price per user, and the card then shows the new end.
 */
export default defineJourney({
  name: 'renewal',
  description:
    'Renew a subscription in its renewal window: seats, price checked, card, confirm, next term on the card',
  tags: ['renewal', 'payment', 'mutates'],
  mutates: true,
  // One card form sent to the payment provider: the scheduler budgets it per account.
  cardSubmissions: 1,
  accountState: 'renewable',
  steps: ['sign in', 'open subscription', 'renew', 'payment', 'confirm', 'renewed'],
  // The target params it reads: a target without them is refused at load (exit 2).
  params: {
    renewalSeats: {
      type: 'int',
      min: 1,
      max: 100_000,
      optional: true,
      description: "default: the subscription's seats",
    },
    ...PAYMENT_PARAMS,
  },
  // Six steps of at most 30 s; no provisioning wait: 2 min bounds a broken run.
  timeoutMs: 120_000,
  // A portal page or the payment provider slower than 30 s is an outage for a customer.
  stepTimeoutMs: 30_000,
  // A healthy run takes 5-15 s on staging; passing slower than 45 s is degraded.
  latencyBudgetMs: 45_000,
  async run(ctx) {
    const { page, target, step, account, safeMode } = ctx;
    const formTimeoutMs = paymentFormTimeout(target.params);
    // Parameters are read before the first step: a bad one fails the run at once.
    const extras = expectedExtras(target.params);
    const paymentCard = testCard(target);
    const renew = new RenewPage(page);
    const subscriptions = new SubscriptionsPage(page, target.baseUrl);

    await step('sign in', () => signIn(page, target, account));

    const { card, plan, subscriptionId, quote } = await step('open subscription', async () => {
      const found = await subscriptionCard(page, target, account);
      const facts = await found.facts();
      // Renewing keeps the seats unless the target asks for another count.
      const seats = intParam(target.params, 'renewalSeats', facts.seats, 1, 100_000);
      return {
        card: found,
        plan: facts.plan,
        subscriptionId: await found.subscriptionId(),
        // The next term starts where the old one ends, whenever the renewal is bought.
        quote: yearlyQuote(planPrice(target.params, facts.plan), seats, facts.termEnd),
      };
    });

    await step('renew', async () => {
      await card.renew();
      await renew.expectShown();
      await renew.setSeats(quote.seats);
      await renew.summary.expectQuote(plan, quote, extras);
      await renew.toPayment();
    });

    await step('payment', async () => {
      await renew.payment.expectLoaded(formTimeoutMs);
      // Typing the card is harmless; sending it to the provider is not: safe mode stops here.
      await renew.payment.fillCard(paymentCard);
      if (!safeMode) await renew.payment.submitCard(paymentCard, formTimeoutMs, account);
    });

    if (safeMode) {
      ctx.annotate('safeMode', true);
      return;
    }

    // A renewal cannot be undone online: the cleanup makes sure the new term does not renew
    // again by itself.
    ctx.cleanup('turn off auto-renew', async () => {
      await turnOffAutoRenew(page, target, (list) => list.byId(subscriptionId));
    });

    await step('confirm', async () => {
      await renew.confirmStep.acceptTerms();
      ctx.annotate('confirmRetries', await renew.confirmStep.confirm(undefined, account));
    });

    await step('renewed', async () => {
      await subscriptions.expectShown();
      await subscriptions.expectNotice('renewed');
      await subscriptions.byId(subscriptionId).expectFacts({
        seats: quote.seats,
        termStart: quote.termStart,
        termEnd: quote.termEnd,
      });
    });
  },
});
