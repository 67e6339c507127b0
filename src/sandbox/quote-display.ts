import { formatDate } from './dates.js';
import { formatCents, formatPrice } from './money.js';
import { PLAN_NAMES, type Quote } from './pricing.js';

/** What the `pricing: wrong` fault adds to the shown subtotal and total: $100. */
export const WRONG_PRICE_CENTS = 10_000;

/** The price preview as the order summary shows it, keyed by `data-summary` / test id. */
export function displayQuote(quote: Quote, wrong: boolean): Record<string, string> {
  const extra = wrong ? WRONG_PRICE_CENTS : 0;
  const display: Record<string, string> = {
    'selected-plan': `${PLAN_NAMES[quote.plan]} plan (x${quote.seats})`,
    'per-user': `${formatPrice(quote.perUserCents)} per user per year`,
    dates: `${formatDate(quote.termStart)} - ${formatDate(quote.termEnd)}`,
    'total-ex-vat': formatCents(quote.subtotalCents + extra),
    // "–" when no tax rate applies, as the portal shows it.
    vat: quote.vatCents === 0 ? '–' : formatCents(quote.vatCents),
    'total-amount': formatCents(quote.totalCents + extra),
  };
  // The discount line shows only when there is one.
  if (quote.discountCents !== 0) display.discount = formatCents(-quote.discountCents);
  const p = quote.proration;
  if (p !== undefined) {
    display['prorated-days'] = `${p.remainingDays} of ${p.termDays} days`;
    display['all-seats-price'] = formatCents(p.allSeatsCents);
    display.credit = formatCents(-p.creditCents);
  }
  return display;
}

/** The preview endpoint's answer: display strings plus the amounts in cents. */
export function previewBody(quote: Quote, wrong: boolean): Record<string, unknown> {
  const extra = wrong ? WRONG_PRICE_CENTS : 0;
  return {
    display: displayQuote(quote, wrong),
    amounts: {
      perUserCents: quote.perUserCents,
      seats: quote.seats,
      subtotalCents: quote.subtotalCents + extra,
      discountCents: quote.discountCents,
      vatCents: quote.vatCents,
      totalCents: quote.totalCents + extra,
      ...(quote.proration === undefined ? {} : { proration: quote.proration }),
    },
    termStart: quote.termStart,
    termEnd: quote.termEnd,
  };
}
