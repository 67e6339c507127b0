import { defineJourney } from 'journey-prober';
import { signIn, subscriptionCard, turnOffAutoRenew } from './pages/account-flows.js';
import { AddSeatsPage } from './pages/add-seats.page.js';
import { todayUtc } from './pages/calendar.js';
import { expectedExtras, intParam, paymentFormTimeout, planPrice, testCard } from './pages/params.js';
import { seatChangeQuote, type ExpectedSeatChange } from './pages/pricing.js';
import { SubscriptionsPage } from './pages/subscriptions.page.js';
import { landing } from './pages/ui.js';

/**
 * Add seats to an active subscription mid-term and check the proration: the charge must be
 * the added seats priced by day from today to the term end, in whole cents.
 */
export default defineJourney({
  name: 'seat-change',
  description: 'Add seats to an active subscription: prorated price checked to the cent, card, confirm, new seat count',
  tags: ['seats', 'payment', 'mutates'],
  mutates: true,
  accountState: 'active',
  steps: ['sign in', 'open subscription', 'add seats', 'payment', 'confirm', 'seats updated'],
  // Six steps of at most 30 s; there is no provisioning wait: 2 min bounds a broken run.
  timeoutMs: 120_000,
  stepTimeoutMs: 30_000,
  // A healthy run takes 5-15 s on staging.
  latencyBudgetMs: 45_000,
  async run(ctx) {
    const { page, target, step, account, safeMode } = ctx;
    const additional = intParam(target.params, 'additionalSeats', 1, 1, 1_000);
    const formTimeoutMs = paymentFormTimeout(target.params);
    const addSeats = new AddSeatsPage(page);
    let planName = '';
    let quote: ExpectedSeatChange | undefined;
    let subscriptionId: string | undefined;

    await step('sign in', () => signIn(page, target, account));

    await step('open subscription', async () => {
      const card = await subscriptionCard(page, target, account);
      const facts = await card.facts();
      planName = facts.plan;
      subscriptionId = (await card.root.getByTestId('subscription-id').innerText()).trim();
      quote = seatChangeQuote({
        perUserCents: planPrice(target.params, facts.plan),
        currentSeats: facts.seats,
        additionalSeats: additional,
        termStart: facts.termStart,
        termEnd: facts.termEnd,
        today: todayUtc(),
      });
      await card.addSeats();
    });

    await step('add seats', async () => {
      await addSeats.expectShown();
      await addSeats.setAdditionalSeats(additional);
      await addSeats.summary.expectSeatChange(planName, quote!, expectedExtras(target.params));
      await addSeats.toPayment();
    });

    await step('payment', async () => {
      await addSeats.payment.expectLoaded(formTimeoutMs);
      await addSeats.payment.fillCard(testCard(target.params));
      if (!safeMode) await addSeats.payment.submitCard(formTimeoutMs);
    });

    if (safeMode) {
      ctx.annotate('safeMode', true);
      return;
    }

    // Seats cannot be removed mid-term (only at renewal): the cleanup makes sure the probe's
    // seats never renew by themselves.
    ctx.cleanup('turn off auto-renew', async () => {
      if (subscriptionId === undefined) return;
      const id = subscriptionId;
      await turnOffAutoRenew(page, target, (subscriptions) => subscriptions.byId(id));
    });

    const subscriptions = new SubscriptionsPage(page, target.baseUrl);
    await step('confirm', async () => {
      await addSeats.confirmStep.acceptTerms();
      ctx.annotate('confirmRetries', await addSeats.confirmStep.confirm(landing(page, subscriptions.heading)));
    });

    await step('seats updated', async () => {
      await subscriptions.expectShown();
      await subscriptions.expectNotice('Seats added');
      await subscriptions.byId(subscriptionId!).expectFacts({ seats: quote!.seats });
    });
  },
});
