import { addDays, daysBetween, formatDate, type IsoDate } from './dates.js';
import type { Subscription } from './store.js';

/** Renewal opens this many days before the term ends. */
export const RENEWAL_WINDOW_DAYS = 15;

export function renewalOpensOn(sub: Subscription): IsoDate {
  return addDays(sub.termEnd, -RENEWAL_WINDOW_DAYS);
}

export function canRenew(sub: Subscription, today: IsoDate): boolean {
  return today >= renewalOpensOn(sub);
}

/** Why renewal is refused today, or undefined when it is allowed. */
export function renewalRefusal(sub: Subscription, today: IsoDate): string | undefined {
  if (sub.reseller)
    return 'This subscription was purchased through a reseller. Contact your reseller to renew it.';
  if (canRenew(sub, today)) return undefined;
  return `This subscription can be renewed from ${formatDate(renewalOpensOn(sub))}, 15 days before it expires.`;
}

/** Why seats cannot be added online, or undefined when they can. */
export function seatsRefusal(sub: Subscription, today: IsoDate): string | undefined {
  if (sub.reseller)
    return 'This subscription was purchased through a reseller. Contact your reseller to add seats.';
  if (daysBetween(sub.termStart, sub.termEnd) > 366) {
    return 'Seats cannot be added online to a multi-year subscription. Contact sales to add seats.';
  }
  if (today >= sub.termEnd)
    return `This subscription expired on ${formatDate(sub.termEnd)}. Renew it to add seats.`;
  return undefined;
}

export function isProvisioned(sub: Subscription, mono: number = performance.now()): boolean {
  return mono >= sub.provisionedAt;
}
