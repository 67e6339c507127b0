import { describe, expect, it } from 'vitest';
import { defineJourney, JourneyDefinitionError, paramProblems } from '../../../src/journey/define.js';
import type { ParamSpecs } from '../../../src/journey/types.js';

const journey = (params: ParamSpecs) =>
  defineJourney({ name: 'needs-params', description: 'reads params', params, run: async () => {} });

const declared = journey({
  country: { type: 'text' },
  locale: { type: 'text', default: 'en' },
  coupon: { type: 'text', optional: true },
  seats: { type: 'int', min: 1, max: 100, default: 5 },
  pages: { type: 'int', min: 1, max: 9 },
});

describe('journey params declared in defineJourney', () => {
  it('a target with every required param and good numbers has no problem', () => {
    expect(paramProblems(declared, { name: 'qa', params: { country: 'NL', pages: '3' } })).toEqual([]);
  });

  it('names the target and every missing or bad param, in declaration order', () => {
    expect(
      paramProblems(declared, { name: 'qa', params: { country: '  ', seats: '0', pages: 'x' } }),
    ).toEqual([
      'target "qa": journey "needs-params" needs param "country" (set targets.qa.params.country)',
      'target "qa": param "seats" of journey "needs-params" must be a whole number from 1 to 100, got "0"',
      'target "qa": param "pages" of journey "needs-params" must be a whole number from 1 to 9, got "x"',
    ]);
    expect(paramProblems(declared, { name: 'qa', params: {} })).toHaveLength(2);
  });

  it('a journey without a declaration checks nothing', () => {
    const plain = defineJourney({ name: 'plain', description: 'no params', run: async () => {} });
    expect(paramProblems(plain, { name: 'qa', params: {} })).toEqual([]);
  });

  it.each([
    [
      { 'bad-name': { type: 'text' } },
      'journey "needs-params": param "bad-name" must be a name of letters, digits and _',
    ],
    [
      { n: { type: 'int', min: 5, max: 1 } },
      'journey "needs-params": param "n" needs whole numbers min <= max',
    ],
    [
      { n: { type: 'int', min: 1, max: 3, default: 4 } },
      'journey "needs-params": param "n" default must be a whole number from 1 to 3',
    ],
    [{ n: { type: 'float' } }, 'journey "needs-params": param "n" type must be "text" or "int"'],
  ] as const)('refuses a malformed declaration at load: %j', (params, message) => {
    expect(() => journey(params as unknown as ParamSpecs)).toThrow(new JourneyDefinitionError(message));
  });

  it('the built-in journeys declare what the sandbox target gives', async () => {
    const { loadJourneys, BUILT_IN_JOURNEYS_DIR } = await import('../../../src/journey/loader.js');
    const { targetSpecs } = await import('../../../src/config/targets.js');
    const loaded = await loadJourneys([{ dir: BUILT_IN_JOURNEYS_DIR, required: true, builtIn: true }]);
    const sandbox = targetSpecs({ targets: {} }).get('sandbox')!;
    expect([...loaded.journeys.keys()].sort()).toEqual(['purchase', 'renewal', 'seat-change']);
    for (const j of loaded.journeys.values()) {
      expect(Object.keys(j.params ?? {})).toContain('cardHolder');
      expect(paramProblems(j, sandbox)).toEqual([]);
      expect(paramProblems(j, { name: 'bare', params: {} })).not.toEqual([]);
    }
  });
});
