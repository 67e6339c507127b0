import { describe, expect, it } from 'vitest';
import { CardBudget, cardBudgetAllows } from '../../../src/accounts/card-budget.js';
import { defineJourney } from '../../../src/journey/define.js';
import { JourneyDefinitionError } from '../../../src/journey/define.js';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import type { SkipReason } from '../../../src/scheduler/types.js';
import { entry } from '../scheduler/fixtures.js';

const limits = { perMinute: 3, perHour: 6 };

function budgetAt(start = 0) {
  let now = start;
  const budget = new CardBudget(() => now);
  return { budget, advance: (ms: number) => (now += ms) };
}

describe('card-submission budget', () => {
  it('allows 3 a minute and 6 an hour per account, the provider limit', () => {
    const { budget, advance } = budgetAt();
    for (let i = 0; i < 3; i++) {
      expect(budget.allows('a', 1, limits)).toBe(true);
      budget.record('a');
    }
    expect(budget.allows('a', 1, limits)).toBe(false);
    expect(budget.allows('b', 3, limits)).toBe(true);
    advance(60_000);
    for (let i = 0; i < 3; i++) {
      expect(budget.allows('a', 1, limits)).toBe(true);
      budget.record('a');
    }
    advance(60_000);
    expect(budget.usage('a')).toEqual({ minute: 0, hour: 6 });
    expect(budget.allows('a', 1, limits)).toBe(false);
    advance(60 * 60_000 - 120_000 + 1);
    expect(budget.usage('a').hour).toBe(3);
    expect(budget.allows('a', 1, limits)).toBe(true);
  });

  it('counts a run that declares two submissions as two', () => {
    const { budget } = budgetAt();
    budget.record('a');
    budget.record('a');
    expect(budget.allows('a', 2, limits)).toBe(false);
    expect(budget.allows('a', 1, limits)).toBe(true);
    expect(budget.allows('a', 0, limits)).toBe(true);
  });

  it("says an Attempt_Exceed_Limitation is the prober's doing only when its own submissions went over", () => {
    const { budget } = budgetAt();
    const view = budget.view('a', limits);
    view.submitted();
    expect(view.exceededByProber()).toBe(false);
    view.submitted();
    view.submitted();
    expect(view.exceededByProber()).toBe(false);
    view.submitted();
    expect(view.exceededByProber()).toBe(true);
  });

  it('only budgets shared accounts (fresh sandbox accounts have their own limit)', () => {
    const { budget } = budgetAt();
    for (let i = 0; i < 3; i++) budget.record('t:email=a');
    const live = { cardBudget: budget, target: { cardBudget: limits } };
    const paying = { journey: { cardSubmissions: 1 } };
    expect(cardBudgetAllows(live, { ...paying, accountKey: 't:email=a' })).toBe(false);
    expect(cardBudgetAllows(live, { ...paying, accountKey: undefined })).toBe(true);
    expect(cardBudgetAllows(undefined, { ...paying, accountKey: 't:email=a' })).toBe(true);
  });

  it('is declared by the journey, a whole number', () => {
    const run = () => Promise.resolve();
    expect(defineJourney({ name: 'p', description: 'd', run }).cardSubmissions).toBe(0);
    expect(defineJourney({ name: 'p', description: 'd', cardSubmissions: 2, run }).cardSubmissions).toBe(2);
    expect(() => defineJourney({ name: 'p', description: 'd', cardSubmissions: 1.5, run })).toThrow(
      new JourneyDefinitionError('journey "p": cardSubmissions must be a whole number, 0 or more'),
    );
  });
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('scheduler and the card budget', () => {
  it('skips a paying run over the budget as payment_budget, never runs it; non-paying runs go on', async () => {
    const pay = defineJourney({
      name: 'pay',
      description: 'd',
      cardSubmissions: 1,
      run: () => Promise.resolve(),
    });
    const key = 'sandbox:email=a';
    const paying = entry('pay', { journey: pay, accountKey: key });
    const browsing = entry('look', { accountKey: key });
    const { budget } = budgetAt();
    const skips: { id: string; reason: SkipReason }[] = [];
    const ran: string[] = [];
    const scheduler = new Scheduler({
      entries: [paying, browsing],
      concurrency: 2,
      random: () => 0,
      execute: (e) => {
        ran.push(e.id);
        // What the journey does: one card form sent per paying run.
        for (let i = 0; i < e.journey.cardSubmissions; i++) budget.record(key);
        return Promise.resolve();
      },
      events: { skipped: (e, reason) => skips.push({ id: e.id, reason }) },
      cardBudget: (e) => budget.allows(e.accountKey!, e.journey.cardSubmissions, limits),
    });
    for (let round = 0; round < 5; round++) {
      scheduler.runNow('pay@sandbox');
      scheduler.runNow('look@sandbox');
      await settle();
    }
    await scheduler.drain(1_000);
    expect(ran.filter((id) => id === 'pay@sandbox')).toHaveLength(3);
    expect(ran.filter((id) => id === 'look@sandbox')).toHaveLength(5);
    expect(skips).toEqual([
      { id: 'pay@sandbox', reason: 'payment_budget' },
      { id: 'pay@sandbox', reason: 'payment_budget' },
    ]);
    expect(budget.usage(key)).toEqual({ minute: 3, hour: 3 });
  });
});
