import { Secret as OtpSecret } from 'otpauth';
import { signIn } from '../../../journeys/pages/account-flows.js';
import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import { createAccountProvider } from '../../../src/accounts/provider.js';
import { SessionStore } from '../../../src/accounts/sessions.js';
import { DEFAULT_CARD_BUDGET, type Target } from '../../../src/config/targets.js';
import type { Journey, RunContext } from '../../../src/journey/types.js';
import { SecretRegistry } from '../../../src/log.js';
import type { AccountProvider } from '../../../src/runner/types.js';
import { PARAMS, purchase, renewal, seatChange } from './fault-cases.js';
import { describe, sandboxAccounts, startJourneyFixture, type JourneyFixture } from './fixture.js';

/**
 * Sign-in as a prober does it (issue 14): through GitLab.com with a TOTP code, a kept session
 * reused until the portal says it expired, then a fresh (counted) sign-in within the run.
 */
let fx: JourneyFixture;
beforeAll(async () => {
  fx = await startJourneyFixture();
});
afterAll(async () => {
  await fx?.stop();
});

interface Created {
  readonly username: string;
  readonly password: string;
  readonly otpSecret?: string;
  readonly groupId: number;
}

const newAccount = (state: string, twoFactor: boolean): Promise<Created> =>
  fx.control<Created>('POST', '/__sandbox/accounts', twoFactor ? { state, twoFactor } : { state });

/** One sandbox account configured as the target's (secrets from env vars), sessions kept in `sessions`. */
function configured(
  created: Created,
  sessions: SessionStore,
  otpSecret = created.otpSecret,
): AccountProvider {
  const env: NodeJS.ProcessEnv = {
    T_USERNAME: created.username,
    T_PASSWORD: created.password,
    ...(otpSecret === undefined ? {} : { T_OTP: otpSecret }),
  };
  const target: Target = {
    name: 'sandbox',
    baseUrl: fx.sandbox.portalUrl,
    gitlabUrl: fx.sandbox.gitlabUrl,
    allowPurchases: true,
    params: {},
    latencyBudgetMs: {},
    cardBudget: DEFAULT_CARD_BUDGET,
    accountSource: {
      kind: 'configured',
      accounts: {
        default: {
          usernameEnv: 'T_USERNAME',
          passwordEnv: 'T_PASSWORD',
          ...(otpSecret === undefined ? {} : { otpSecretEnv: 'T_OTP' }),
          groupIds: [String(created.groupId)],
        },
      },
    },
  };
  return createAccountProvider(target, new SecretRegistry(), env, { sessions });
}

const expire = async (username: string): Promise<void> => {
  const body = await fx.control<{ expired: number }>('POST', '/__sandbox/sessions/expire', { username });
  expect(body.expired, 'sessions expired by the sandbox').toBeGreaterThanOrEqual(1);
};

/** The journey with `before` run at the start of step `name`: an expiry at a known moment of the run. */
function atStep(journey: Journey, name: string, before: () => Promise<void>): Journey {
  return {
    ...journey,
    run: (ctx: RunContext) =>
      journey.run({
        ...ctx,
        step: (stepName, body, options) =>
          ctx.step(
            stepName,
            async () => {
              if (stepName === name) await before();
              return body();
            },
            options,
          ),
      }),
  };
}

suite('two-factor accounts', () => {
  for (const journey of [purchase, seatChange, renewal]) {
    it(`${journey.name} passes with a sandbox-two-factor account: one counted sign-in with a TOTP code`, async () => {
      const inner = sandboxAccounts(fx.sandbox.portalUrl, { twoFactor: true, sessions: SessionStore.none() });
      let hadSecret = false;
      const accounts: AccountProvider = async (j, t) => {
        const account = await inner(j, t);
        hadSecret = account.otpSecret !== undefined;
        return account;
      };
      const result = await fx.run(journey, fx.target({ params: PARAMS }), { accounts });
      expect(hadSecret, 'the sandbox account has a TOTP secret').toBe(true);
      expect(result.outcome, describe(result)).toBe('success');
      expect(result.signIns).toEqual({ success: 1, failure: 0 });
    });
  }

  it('a wrong TOTP secret fails the sign-in step as auth, counted as a failed sign-in', async () => {
    const created = await newAccount('active', true);
    const wrong = new OtpSecret({ size: 20 }).base32;
    const result = await fx.run(seatChange, fx.target({ params: PARAMS }), {
      accounts: configured(created, SessionStore.inMemory(), wrong),
    });
    expect([result.outcome, result.failure?.step, result.failure?.class], describe(result)).toEqual([
      'failure',
      'sign in',
      'auth',
    ]);
    expect(result.failure?.message).toMatch(/sign in refused: Invalid two-factor code/);
    expect(result.signIns).toEqual({ success: 0, failure: 1 });
    expect(JSON.stringify(result)).not.toContain(created.password);
    expect(JSON.stringify(result)).not.toContain(wrong);
  });
});

suite('kept sessions', () => {
  it('a second run reuses the session; one expired between runs signs in again, counted, and passes', async () => {
    const created = await newAccount('active', true);
    const accounts = configured(created, SessionStore.inMemory());
    const target = fx.target({ params: PARAMS });
    const first = await fx.run(seatChange, target, { accounts });
    expect(first.outcome, describe(first)).toBe('success');
    expect(first.signIns).toEqual({ success: 1, failure: 0 });
    const reused = await fx.run(seatChange, target, { accounts });
    expect(reused.outcome, describe(reused)).toBe('success');
    expect(reused.signIns, 'the kept session was reused').toEqual({ success: 0, failure: 0 });
    await expire(created.username);
    const after = await fx.run(seatChange, target, { accounts });
    expect(after.outcome, describe(after)).toBe('success');
    expect(after.signIns, 'the expired session made one fresh sign-in').toEqual({ success: 1, failure: 0 });
  });

  it.each([
    ['seat-change', 'open subscription', seatChange],
    ['purchase', 'subscription details', purchase],
  ] as const)(
    'a session expired mid-run (%s, at "%s") signs in again within the run, counted, and passes',
    async (_name, stepName, journey) => {
      const created = await newAccount(journey === purchase ? 'none' : 'active', true);
      const sessions = SessionStore.inMemory();
      const accounts = configured(created, sessions);
      const target = fx.target({ params: PARAMS });
      // The first run signs in and keeps the session; the second starts with it and loses it mid-run.
      const warm = await fx.run(signInOnly(journey), target, { accounts });
      expect([warm.outcome, warm.signIns], describe(warm)).toEqual(['success', { success: 1, failure: 0 }]);
      const result = await fx.run(
        atStep(journey, stepName, () => expire(created.username)),
        target,
        { accounts },
      );
      expect(result.outcome, describe(result)).toBe('success');
      expect(result.signIns, 'one fresh sign-in mid-run').toEqual({ success: 1, failure: 0 });
    },
  );
});

/** The journey cut after its first step: it signs in (and keeps the session), buying nothing. */
function signInOnly(journey: Journey): Journey {
  return {
    ...journey,
    name: `${journey.name}-sign-in`,
    steps: ['sign in'],
    run: async (ctx: RunContext) => {
      // A purchase account's group is lent per run: give it back, as the purchase does.
      const release = ctx.account.releaseGroup;
      if (release) ctx.cleanup('give the group back', () => Promise.resolve(release()));
      await ctx.step('sign in', () => signIn(ctx.page, ctx.target, ctx.account));
    },
  };
}
