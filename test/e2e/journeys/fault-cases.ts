import purchaseJourney from '../../../journeys/purchase.journey.js';
import renewalJourney from '../../../journeys/renewal.journey.js';
import seatChangeJourney from '../../../journeys/seat-change.journey.js';
import type { FailureClass } from '../../../src/journey/outcomes.js';
import type { Journey } from '../../../src/journey/types.js';

/**
 * Every sandbox fault, and what the journey must report: failing step, class and (a
 * fragment of) the message. Test copies of the journeys have short timeouts, so a fault
 * that makes them wait costs seconds, not minutes; 15 s per step, because a sign-in (three
 * origins, a TOTP code, consent) took over 8 s with the e2e files running beside it on a
 * busy 2-core machine.
 */
export const quick = (journey: Journey): Journey => ({
  ...journey,
  stepTimeoutMs: 15_000,
  timeoutMs: 60_000,
});
export const purchase = quick(purchaseJourney);
export const seatChange = quick(seatChangeJourney);
export const renewal = quick(renewalJourney);

/**
 * Bounds small enough for the matrix, yet loose enough for a busy 2-core machine: a form
 * that has not loaded in 5 s, provisioning (300 ms in the sandbox) in 4 s.
 */
export const PARAMS = {
  paymentFormTimeoutMs: '5000',
  provisioningTimeoutMs: '4000',
  provisioningPollMs: '250',
};

export interface FaultCase {
  readonly name: string;
  readonly journey: Journey;
  readonly faults: readonly unknown[];
  /** Target params over PARAMS. */
  readonly params?: Readonly<Record<string, string>>;
  /** A magic card's number instead of the test card's. */
  readonly card?: string;
  readonly step: string;
  readonly class: FailureClass;
  readonly message?: RegExp;
}

const status503 = (match: string) => [{ match, status: 503 }];
const hang = (match: string) => [{ match, hang: true }];

export const FAULT_CASES: readonly FaultCase[] = [
  {
    name: 'card declined',
    journey: purchase,
    faults: [{ payment: 'decline' }],
    step: 'payment',
    class: 'payment_declined',
    message:
      /Transaction declined\.402 - \[card_error\/card_declined\/generic_decline\] Your card was declined\./,
  },
  {
    name: 'insufficient funds',
    journey: purchase,
    faults: [{ payment: 'insufficient_funds' }],
    step: 'payment',
    class: 'payment_declined',
    message: /insufficient funds/,
  },
  {
    name: '3-D Secure required',
    journey: purchase,
    faults: [{ payment: '3ds_required' }],
    step: 'payment',
    class: 'payment_declined',
    message:
      /\[card_error\/authentication_required\/authentication_required\] This transaction requires authentication\./,
  },
  {
    name: '3-D Secure not supported (magic card)',
    journey: purchase,
    faults: [],
    card: '4000 0027 6000 3184',
    step: 'payment',
    class: 'payment_declined',
    message: /3D Secure authentication is not supported\. Please contact our sales team/,
  },
  {
    name: 'card-submission limit (Attempt_Exceed_Limitation)',
    journey: purchase,
    faults: [{ payment: 'rate_limit' }],
    step: 'payment',
    class: 'payment_form',
    message: /Attempt_Exceed_Limitation - Attempt exceed the limitation, refresh page to try again\./,
  },
  {
    name: 'renewal: card-submission limit',
    journey: renewal,
    faults: [{ payment: 'rate_limit' }],
    step: 'payment',
    class: 'payment_form',
    message: /Attempt_Exceed_Limitation/,
  },
  {
    name: 'payment form down',
    journey: purchase,
    faults: [{ payment: 'form_down' }],
    step: 'payment',
    class: 'payment_form',
    message: /Credit card form failed to load/,
  },
  {
    name: 'renewal: card declined',
    journey: renewal,
    faults: [{ payment: 'decline' }],
    step: 'payment',
    class: 'payment_declined',
    message: /declined/,
  },
  {
    name: 'seat change: form down',
    journey: seatChange,
    faults: [{ payment: 'form_down' }],
    step: 'payment',
    class: 'payment_form',
  },
  {
    name: '503 on sign in',
    journey: purchase,
    faults: status503('sign_in'),
    step: 'sign in',
    class: 'http_error',
    // The outage page's words: the journey failed on seeing it, not at the step's time-out.
    message: /^HTTP 503 on GET \/customers\/sign_in: We're sorry, something went wrong \(503\)/,
  },
  {
    name: '503 on the subscriptions page',
    journey: seatChange,
    faults: status503('subscriptions'),
    step: 'sign in',
    class: 'http_error',
    // The outage page's words: the journey failed on seeing it, not at the step's time-out.
    message: /^HTTP 503 on GET \/subscriptions: We're sorry, something went wrong \(503\)/,
  },
  {
    name: '503 on checkout',
    journey: purchase,
    faults: status503('/subscriptions/new'),
    step: 'subscription details',
    class: 'http_error',
    message: /HTTP 503 on GET \/subscriptions\/new/,
  },
  {
    name: '503 on the payment form',
    journey: purchase,
    faults: status503('payment'),
    step: 'payment',
    class: 'payment_form',
    message: /Credit card form failed to load/,
  },
  {
    name: '503 on confirm',
    journey: purchase,
    faults: status503('confirm'),
    step: 'confirm',
    class: 'http_error',
    message: /HTTP 503 on POST \/api\/orders\/new/,
  },
  {
    name: '503 on the billing page',
    journey: purchase,
    faults: status503('billing'),
    step: 'provisioned',
    class: 'http_error',
    message: /HTTP 503 on GET \/groups\//,
  },
  {
    name: '503 on add seats',
    journey: seatChange,
    faults: status503('extra_seats'),
    step: 'add seats',
    class: 'http_error',
    message: /HTTP 503 on GET \/gitlab\/namespaces\/.+\/extra_seats/,
  },
  {
    name: '503 on renew',
    journey: renewal,
    faults: status503('renew'),
    step: 'renew',
    class: 'http_error',
    message: /HTTP 503 on GET \/gitlab\/namespaces\/.+\/renew/,
  },
  { name: 'hang on sign in', journey: purchase, faults: hang('sign_in'), step: 'sign in', class: 'timeout' },
  {
    name: 'hang on checkout',
    journey: purchase,
    faults: hang('/subscriptions/new'),
    step: 'subscription details',
    class: 'timeout',
  },
  {
    name: 'hang on the payment form',
    journey: purchase,
    faults: hang('payment'),
    step: 'payment',
    class: 'payment_form',
    message: /did not load within 5000 ms/,
  },
  { name: 'hang on confirm', journey: purchase, faults: hang('confirm'), step: 'confirm', class: 'timeout' },
  {
    name: 'hang on the billing page',
    journey: purchase,
    faults: hang('billing'),
    step: 'provisioned',
    class: 'timeout',
  },
  {
    name: 'hang on add seats',
    journey: seatChange,
    faults: hang('/gitlab/namespaces/'),
    step: 'add seats',
    class: 'timeout',
  },
  {
    name: 'hang on renew',
    journey: renewal,
    faults: hang('/gitlab/namespaces/'),
    step: 'renew',
    class: 'timeout',
  },
  {
    name: 'confirm button removed',
    journey: purchase,
    faults: [{ removeTestId: 'confirm-purchase' }],
    step: 'confirm',
    class: 'assertion',
    message: /\[data-testid="confirm-purchase"\] is missing/,
  },
  {
    name: 'seat change: purchase button removed',
    journey: seatChange,
    faults: [{ removeTestId: 'purchase-seats' }],
    step: 'confirm',
    class: 'assertion',
  },
  {
    name: 'wrong price in the summary',
    journey: purchase,
    faults: [{ pricing: 'wrong' }],
    step: 'subscription details',
    class: 'assertion',
    message: /subtotal for 5 × \$228 \(expected \$1,140\.00\)/,
  },
  {
    name: 'seat change: wrong price',
    journey: seatChange,
    faults: [{ pricing: 'wrong' }],
    step: 'add seats',
    class: 'assertion',
    message: /subtotal/,
  },
  {
    name: 'renewal: wrong price',
    journey: renewal,
    faults: [{ pricing: 'wrong' }],
    step: 'renew',
    class: 'assertion',
    message: /subtotal/,
  },
  {
    name: 'price preview fails',
    journey: purchase,
    faults: [{ pricePreview: 'fail' }],
    step: 'subscription details',
    class: 'http_error',
    message: /Something went wrong while loading price details/,
  },
  {
    name: 'seat change: price preview fails',
    journey: seatChange,
    faults: [{ pricePreview: 'fail' }],
    step: 'add seats',
    class: 'http_error',
  },
  {
    name: 'provisioning slower than the bound',
    journey: purchase,
    faults: [{ provisioningDelayMs: 20_000 }],
    step: 'provisioned',
    class: 'timeout',
    message: /not provisioned after 4000 ms: .*Free Plan/,
  },
];
