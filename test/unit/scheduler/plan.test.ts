import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import { parseConfig } from '../../../src/config/load.js';
import { targetSpecs } from '../../../src/config/targets.js';
import { defineJourney } from '../../../src/journey/define.js';
import type { Journey } from '../../../src/journey/types.js';
import { planSchedules } from '../../../src/scheduler/plan.js';

const journey = (name: string, accountState: 'active' | 'renewable' = 'active'): Journey =>
  defineJourney({ name, description: name, accountState, run: () => Promise.resolve() });
const journeys = new Map([
  ['purchase', journey('purchase')],
  ['renewal', journey('renewal', 'renewable')],
  ['seat-change', journey('seat-change')],
]);

function plan(raw: unknown) {
  const config = parseConfig(raw, 'test.yaml');
  return planSchedules(config, journeys, targetSpecs(config));
}

function problems(raw: unknown): readonly string[] {
  try {
    plan(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('planSchedules', () => {
  it('schedules every journey on the sandbox with the defaults when none are configured', () => {
    const entries = plan({});
    expect(entries.map((e) => e.id)).toEqual(['purchase@sandbox', 'renewal@sandbox', 'seat-change@sandbox']);
    expect(entries[0]).toMatchObject({
      cron: '*/5 * * * *',
      jitterMs: 30_000,
      runOnStart: false,
      minIntervalMs: 300_000,
      accountKey: undefined,
    });
  });

  it('lets a schedule naming a journey override `*` on the same target, with its own settings', () => {
    const entries = plan({
      defaults: { cron: '*/10 * * * *', jitterMs: 1_000, timezone: 'Europe/Berlin' },
      schedules: [
        { journey: 'purchase', target: 'sandbox', cron: '*/30 * * * * *', runOnStart: true },
        { journey: '*', target: 'sandbox' },
      ],
    });
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get('purchase@sandbox')).toMatchObject({
      cron: '*/30 * * * * *',
      runOnStart: true,
      jitterMs: 1_000,
      timezone: 'Europe/Berlin',
    });
    expect(byId.get('renewal@sandbox')).toMatchObject({ cron: '*/10 * * * *', runOnStart: false });
    expect(entries).toHaveLength(3);
  });

  it('caps jitter at half the shortest interval', () => {
    const [e] = plan({
      schedules: [{ journey: 'purchase', target: 'sandbox', cron: '*/2 * * * * *', jitterMs: 30_000 }],
    });
    expect(e?.jitterMs).toBe(1_000);
  });

  it('keys configured accounts, so runs sharing one never overlap; sandbox accounts have no key', () => {
    const entries = plan({
      targets: {
        qa: {
          baseUrl: 'https://qa.example.com',
          accounts: {
            default: { email: 'qa@example.com', passwordEnv: 'QA_PW' },
            renewable: { emailEnv: 'QA_RENEW', passwordEnv: 'QA_PW2' },
          },
        },
      },
      schedules: [
        { journey: '*', target: 'qa' },
        { journey: 'purchase', target: 'sandbox' },
      ],
    });
    const key = (id: string) => entries.find((e) => e.id === id)?.accountKey;
    expect(key('purchase@qa')).toBe('qa:email=qa@example.com');
    expect(key('seat-change@qa')).toBe(key('purchase@qa'));
    expect(key('renewal@qa')).toBe('qa:env=QA_RENEW');
    expect(key('purchase@sandbox')).toBeUndefined();
  });

  it('collects every problem: unknown journey, duplicates', () => {
    expect(
      problems({
        schedules: [
          { journey: 'purchse', target: 'sandbox' },
          { journey: 'renewal', target: 'sandbox' },
          { journey: 'renewal', target: 'sandbox', cron: '0 * * * *' },
        ],
      }),
    ).toEqual([
      'schedules[0].journey: unknown journey "purchse" (known: purchase, renewal, seat-change)',
      'schedules[2]: journey "renewal" on target "sandbox" is already scheduled by schedules[1]',
    ]);
  });

  it('rejects an invalid cron expression in the config, naming the schedule and its journey', () => {
    expect(() =>
      plan({ schedules: [{ journey: 'purchase', target: 'sandbox', cron: '61 * * * *' }] }),
    ).toThrow(
      'schedules[0].cron: is not a valid cron expression: invalid value for minute: 61 (journey "purchase")',
    );
  });
});
