import { defineJourney } from 'journey-prober';
import { signIn, subscriptionCard, turnOffAutoRenew } from './pages/account-flows.js';
import { AddSeatsPage } from './pages/add-seats.page.js';
import { todayUtc } from './pages/calendar.js';
import {
  expectedExtras,
  intParam,
  PAYMENT_PARAMS,
  paymentFormTimeout,
  planPrice,
  testCard,
} from './pages/params.js';
import { seatChangeQuote } from './pages/pricing.js';
import { SubscriptionsPage } from './pages/subscriptions.page.js';

/**
 * Add seats to an active subscription mid-term and check the proration: the charge must be
 * the added seats priced by day from today to the term end, in whole cents.
 */
export default defineJourney({
  name: 'seat-change',
  description:
    'Add seats to an active subscription: prorated price checked to the cent, card, confirm, new seat count',
  tags: ['seats', 'payment', 'mutates'],
  mutates: true,
  // One card form sent to the payment provider: the scheduler budgets it per account.
  cardSubmissions: 1,
  accountState: 'active',
  steps: ['sign in', 'open subscription', 'add seats', 'payment', 'confirm', 'seats updated'],
  // The target params it reads: a target without them is refused at load (exit 2).
  params: {
    additionalSeats: { type: 'int', min: 1, max: 1_000, default: 1 },
    ...PAYMENT_PARAMS,
  },
  // Six steps of at most 30 s; there is no provisioning wait: 2 min bounds a broken run.
  timeoutMs: 120_000,
  // A portal page or the payment provider slower than 30 s is an outage for a customer.
  stepTimeoutMs: 30_000,
  // A healthy run takes 5-15 s on staging; passing slower than 45 s is degraded.
  latencyBudgetMs: 45_000,
  async run(ctx) {
    const { page, target, step, account, safeMode } = ctx;
    const additional = intParam(target.params, 'additionalSeats', 1, 1, 1_000);
    const formTimeoutMs = paymentFormTimeout(target.params);
    // Parameters are read before the first step: a bad one fails the run at once.
    const extras = expectedExtras(target.params);
    const paymentCard = testCard(target);
    const addSeats = new AddSeatsPage(page);
    const subscriptions = new SubscriptionsPage(page, target.baseUrl);

    await step('sign in', () => signIn(page, target, account));

    const { card, plan, subscriptionId, quote } = await step('open subscription', async () => {
      const found = await subscriptionCard(page, target, account);
      const facts = await found.facts();
      return {
        card: found,
        plan: facts.plan,
        subscriptionId: await found.subscriptionId(),
        quote: seatChangeQuote({
          perUserCents: planPrice(target.params, facts.plan),
          currentSeats: facts.seats,
          additionalSeats: additional,
          termStart: facts.termStart,
          termEnd: facts.termEnd,
          today: todayUtc(),
        }),
      };
    });

    await step('add seats', async () => {
      await card.addSeats();
      await addSeats.expectShown();
      await addSeats.setAdditionalSeats(additional);
      await addSeats.summary.expectSeatChange(plan, quote, extras);
      await addSeats.toPayment();
    });

    await step('payment', async () => {
      await addSeats.payment.expectLoaded(formTimeoutMs);
      // Typing the card is harmless; sending it to the provider is not: safe mode stops here.
      await addSeats.payment.fillCard(paymentCard);
      if (!safeMode) await addSeats.payment.submitCard(paymentCard, formTimeoutMs, account);
    });

    if (safeMode) {
      ctx.annotate('safeMode', true);
      return;
    }

    // Seats cannot be removed mid-term (only at renewal): the cleanup makes sure the probe's
    // seats never renew by themselves.
    ctx.cleanup('turn off auto-renew', async () => {
      await turnOffAutoRenew(page, target, (list) => list.byId(subscriptionId));
    });

    await step('confirm', async () => {
      await addSeats.confirmStep.acceptTerms();
      ctx.annotate('confirmRetries', await addSeats.confirmStep.confirm(undefined, account));
    });

    await step('seats updated', async () => {
      await subscriptions.expectShown();
      await subscriptions.expectNotice('Seats added');
      await subscriptions.byId(subscriptionId).expectFacts({ seats: quote.seats });
    });
  },
});
