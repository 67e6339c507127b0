import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { effectiveTiers, errorBudget, journeyGroups } from '../../../src/rules/derive.js';
import { duration, DurationError, seconds } from '../../../src/rules/duration.js';
import { PRODUCTION } from '../../../src/rules/params.js';
import { ParamsError, validateParams } from '../../../src/rules/validate.js';
import { testVariant } from '../../../src/rules/variants.js';
import { toYaml } from '../../../src/rules/yaml.js';

describe('durations', () => {
  it('parses and formats Prometheus durations', () => {
    expect(seconds('5m')).toBe(300);
    expect(seconds('1h30m')).toBe(5400);
    expect(duration(40_320)).toBe('11h12m');
    expect(duration(1050)).toBe('17m30s');
  });

  it('rejects what Prometheus would reject, naming the value', () => {
    expect(() => seconds('5 minutes')).toThrow(DurationError);
    expect(() => seconds('')).toThrow(/"" is not a duration/);
    expect(() => seconds('0s')).toThrow(/must be positive/);
    expect(() => duration(1.5)).toThrow(/whole number/);
  });
});

describe('parameters', () => {
  it('production parameters are valid', () => {
    expect(validateParams(PRODUCTION)).toBe(PRODUCTION);
    expect(errorBudget(PRODUCTION)).toBe(0.0005);
  });

  it('collects every problem into one error', () => {
    const bad = {
      ...PRODUCTION,
      objective: 1.5,
      runInterval: 'often',
      burnRate: [{ ...PRODUCTION.burnRate[0]!, minFailedRuns: 1 }],
      journeys: { Purchase: {} },
      statusBaseUrl: 'not a url',
    };
    let error: unknown;
    try {
      validateParams(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ParamsError);
    const problems = (error as ParamsError).problems.join('\n');
    expect(problems).toMatch(/objective must be a ratio/);
    expect(problems).toMatch(/runInterval: "often" is not a duration/);
    expect(problems).toMatch(/burnRate\[0\]\.minFailedRuns must be an integer >= 2/);
    expect(problems).toMatch(/"Purchase" is not a kebab-case journey name/);
    expect(problems).toMatch(/statusBaseUrl must be an absolute URL/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('refuses a silentLookback no longer than the JourneyNotRunning window, and a bad one', () => {
    // 3 x the 2h interval of one journey = 6h: a 6h lookback would forget a pair as it fires.
    const slow = { ...PRODUCTION, journeys: { renewal: { interval: '2h' } } };
    expect(() => validateParams({ ...slow, silentLookback: '6h' })).toThrow(
      /silentLookback 6h must be longer than silentIntervals x the longest run interval/,
    );
    expect(validateParams({ ...slow, silentLookback: '6h1m' }).silentLookback).toBe('6h1m');
    expect(() => validateParams({ ...PRODUCTION, silentLookback: 'a day' })).toThrow(
      /silentLookback: "a day" is not a duration/,
    );
    expect(testVariant(PRODUCTION).silentLookback).toBe('24m');
  });

  it('refuses a count the scrape interval cannot resolve', () => {
    const tier = { ...PRODUCTION.burnRate[0]!, long: '3m', short: '1m', minFailedRuns: 3, minRuns: 3 };
    expect(() => validateParams({ ...PRODUCTION, burnRate: [tier] })).toThrow(
      /3 events cannot be told from 2/,
    );
  });
});

describe('derived thresholds', () => {
  it('widens the 5m short window to two run intervals and bridges sparse failures', () => {
    const [fast, slow, ticket, slowTicket] = effectiveTiers(PRODUCTION);
    expect(fast).toMatchObject({ long: '1h', shortUsed: '10m', threshold: 0.0072, keepFiringFor: '10m' });
    expect(slow).toMatchObject({ long: '6h', shortUsed: '30m', threshold: 0.003, keepFiringFor: '1h' });
    expect(ticket).toMatchObject({ shortUsed: '2h', threshold: 0.0015 });
    expect(slowTicket).toMatchObject({ shortUsed: '6h', threshold: 0.0005 });
  });

  it('groups journeys by override, the default covering every other journey', () => {
    const hourly = { ...PRODUCTION, journeys: { purchase: { interval: '1h' } } };
    expect(journeyGroups(hourly, 'interval', '5m')).toEqual([
      { matcher: 'journey!~"purchase"', seconds: 300 },
      { matcher: 'journey=~"purchase"', seconds: 3600 },
    ]);
    expect(journeyGroups(PRODUCTION, 'interval', '5m')).toEqual([{ matcher: '', seconds: 300 }]);
  });

  it('the test-only variant is 60x faster with the same counts', () => {
    const fast = testVariant(PRODUCTION);
    expect(fast).toMatchObject({ runInterval: '5s', scrapeInterval: '1s', period: '11h12m' });
    expect(fast.burnRate[0]).toMatchObject({ long: '1m', short: '5s', minFailedRuns: 3 });
    // Latency budgets are the journeys' own (exported, real seconds): no parameter to scale.
    expect(fast.latency).toMatchObject({ window: '2m', minRuns: 20 });
    expect(validateParams(fast)).toBe(fast);
  });
});

describe('YAML emitter', () => {
  it('writes block YAML that keeps strings strings', () => {
    expect(toYaml({ a: [{ b: 'yes', c: '1.5', d: 'x y', e: 'two\nlines' }], f: [] })).toBe(
      'a:\n- b: "yes"\n  c: "1.5"\n  d: x y\n  e: |-\n    two\n    lines\nf: []\n',
    );
  });

  it('quotes what a YAML 1.1 reader (Prometheus, Alertmanager) would not read back as a string', () => {
    const value = { a: 'on', b: 'no', c: '1:30', d: '0x1f', e: '~', f: '', g: '- x', h: 'a: b', i: '#x' };
    expect(parse(toYaml(value), { version: '1.1' })).toEqual(value);
  });
});
