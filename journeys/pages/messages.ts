import type { FailureClass } from 'journey-prober';

/**
 * What the portal says when something goes wrong (customersdot-flows.md, "What fails in
 * real life"), and what each message means for the failure class of a run. The page
 * tells us what went wrong, so the journey reports it exactly.
 */
export const PORTAL_TEXT = {
  formFailed: 'Credit card form failed to load',
  previewFailed: 'Something went wrong while loading price details.',
  outage: 'is currently experiencing an outage',
} as const;

const DECLINED = [/card was declined/i, /insufficient funds/i, /authentication required/i];
const RETRYABLE = [/lock competition/i, /attempt exceed(?:s|ed)? the limitation/i];

/** Payment provider answers that say the card was refused: `payment_declined`. */
export function isDeclined(message: string): boolean {
  return DECLINED.some((re) => re.test(message));
}

/** Transient provider errors that a new click on confirm gets past (GitLab QA retries them). */
export function isRetryable(message: string): boolean {
  return RETRYABLE.some((re) => re.test(message));
}

/** The class a payment or confirm error message maps to, when the message alone decides it. */
export function classOfPaymentMessage(message: string): FailureClass | undefined {
  if (isDeclined(message)) return 'payment_declined';
  if (message.includes(PORTAL_TEXT.formFailed)) return 'payment_form';
  return undefined;
}
