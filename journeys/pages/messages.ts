import { fail, type Account, type FailureClass } from 'journey-prober';

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

const DECLINED = [
  /card was declined/i,
  /insufficient funds/i,
  /authentication required/i,
  /3D Secure authentication is not supported/i,
  /\[card_error\//i,
];
const RETRYABLE = [/lock competition/i, /attempt exceed(?:s|ed)? the limitation/i];
/** The provider's card-submission limit: waiting minutes fixes it, clicking again does not. */
const LIMIT = /Attempt_Exceed_Limitation|attempt exceed(?:s|ed)? the limitation/i;

export function isLimitExceeded(message: string): boolean {
  return LIMIT.test(message);
}

/**
 * Attempt_Exceed_Limitation: the prober's own doing when its card budget says its own
 * submissions went over (outcome `error`, class `script`: a bug of the prober, not of the
 * portal), else the payment provider's (`payment_form`).
 */
export function failOnLimit(message: string, account: Account | undefined): never {
  if (account?.cardBudget?.exceededByProber() === true) {
    fail('script', `the prober itself exceeded the card-submission limit of its account: ${message}`);
  }
  fail('payment_form', `the payment provider refused the card form: ${message}`);
}

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
  if (isLimitExceeded(message)) return 'payment_form';
  if (isDeclined(message)) return 'payment_declined';
  if (message.includes(PORTAL_TEXT.formFailed)) return 'payment_form';
  return undefined;
}
