import type { FailureClass } from './outcomes.js';

/**
 * Thrown by journeys and page objects to fail a step with a known class, e.g.
 * `throw new JourneyFailure('payment_declined', 'Your card was declined')`.
 * Any other error is classified by the runner from what it looks like.
 */
export class JourneyFailure extends Error {
  override readonly name = 'JourneyFailure';

  constructor(
    readonly failureClass: FailureClass,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Fail the current step with a class: `fail('precondition', 'no subscription to renew')`. */
export function fail(failureClass: FailureClass, message: string): never {
  throw new JourneyFailure(failureClass, message);
}
