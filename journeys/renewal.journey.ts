import { defineJourney } from 'journey-prober';
import { signIn, subscriptionCard, turnOffAutoRenew } from './pages/account-flows.js';
import { expectedExtras, intParam, paymentFormTimeout, planPrice, testCard } from './pages/params.js';
import { yearlyQuote, type ExpectedQuote } from './pages/pricing.js';
import { RenewPage } from './pages/renew.page.js';
import { SubscriptionsPage } from './pages/subscriptions.page.js';
import { landing } from './pages/ui.js';

/**
 * Renew a subscription inside its renewal window (from 15 days before expiry): a full year
 * from the old term's end, seats x the price per user, and the card then shows the new end.
 */
export default defineJourney({
  name: 'renewal',
  description: 'Renew a subscription in its renewal window: seats, price checked, card, confirm, next term on the card',
  tags: ['renewal', 'payment', 'mutates'],
  mutates: true,
  accountState: 'renewable',
  steps: ['sign in', 'open subscription', 'renew', 'payment', 'confirm', 'renewed'],
  // Six steps of at most 30 s; no provisioning wait: 2 min bounds a broken run.
  timeoutMs: 120_000,
  stepTimeoutMs: 30_000,
  latencyBudgetMs: 45_000,
  async run(ctx) {
    const { page, target, step, account, safeMode } = ctx;
    const formTimeoutMs = paymentFormTimeout(target.params);
    const renew = new RenewPage(page);
    let planName = '';
    let quote: ExpectedQuote | undefined;
    let subscriptionId: string | undefined;

    await step('sign in', () => signIn(page, target, account));

    await step('open subscription', async () => {
      const card = await subscriptionCard(page, target, account);
      const facts = await card.facts();
      planName = facts.plan;
      subscriptionId = (await card.root.getByTestId('subscription-id').innerText()).trim();
      // Renewing keeps the seats unless the target asks for another count.
      const seats = intParam(target.params, 'renewalSeats', facts.seats, 1, 100_000);
      quote = yearlyQuote(planPrice(target.params, facts.plan), seats, facts.termEnd);
      await card.renew();
    });

    await step('renew', async () => {
      await renew.expectShown();
      await renew.setSeats(quote!.seats);
      await renew.summary.expectQuote(planName, quote!, expectedExtras(target.params));
      await renew.toPayment();
    });

    await step('payment', async () => {
      await renew.payment.expectLoaded(formTimeoutMs);
      await renew.payment.fillCard(testCard(target.params));
      if (!safeMode) await renew.payment.submitCard(formTimeoutMs);
    });

    if (safeMode) {
      ctx.annotate('safeMode', true);
      return;
    }

    // A renewal cannot be undone online: the cleanup makes sure the renewed term does not
    // renew again by itself.
    ctx.cleanup('turn off auto-renew', async () => {
      if (subscriptionId === undefined) return;
      const id = subscriptionId;
      await turnOffAutoRenew(page, target, (subscriptions) => subscriptions.byId(id));
    });

    const subscriptions = new SubscriptionsPage(page, target.baseUrl);
    await step('confirm', async () => {
      await renew.confirmStep.acceptTerms();
      ctx.annotate('confirmRetries', await renew.confirmStep.confirm(landing(page, subscriptions.heading)));
    });

    await step('renewed', async () => {
      await subscriptions.expectShown();
      await subscriptions.expectNotice('renewed');
      const card = subscriptions.byId(subscriptionId!);
      await card.expectFacts({ seats: quote!.seats, termStart: quote!.termStart, termEnd: quote!.termEnd });
    });
  },
});
