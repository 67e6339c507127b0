import { describe, expectTypeOf, it } from 'vitest';
import { defineJourney, type Journey, type RunContext } from '../../../src/index.js';

/**
 * Compile-time checks, run by `tsc --noEmit` (the test command's typecheck): the step names
 * declared in `steps` type `step()`, so a typo does not compile. The `it`s keep vitest honest
 * that the file ran; the proof is that the `@ts-expect-error` lines are errors.
 */
describe('defineJourney types', () => {
  it('step() accepts exactly the declared step names', () => {
    const journey = defineJourney({
      name: 'typed-steps',
      description: 'typed',
      steps: ['sign in', 'pay'],
      async run({ step }) {
        await step('sign in', async () => {});
        await step('pay', async () => {});
        // @ts-expect-error: 'sing in' is not a declared step name
        await step('sing in', async () => {});
      },
    });
    expectTypeOf(journey).toEqualTypeOf<Journey>();
  });

  it('without steps, any step name is accepted', () => {
    defineJourney({
      name: 'free-steps',
      description: 'untyped',
      async run({ step }) {
        await step(`step ${Math.random()}`, async () => {});
      },
    });
    expectTypeOf<RunContext['step']>().parameter(0).toEqualTypeOf<string>();
  });

  it('the result of a step body is returned, typed', () => {
    defineJourney({
      name: 'step-result',
      description: 'returns',
      steps: ['read'],
      async run({ step }) {
        const n = await step('read', () => Promise.resolve(42));
        expectTypeOf(n).toEqualTypeOf<number>();
      },
    });
  });
});
