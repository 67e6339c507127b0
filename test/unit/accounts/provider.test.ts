import { describe, expect, it } from 'vitest';
import {
  accountKey,
  accountSecretNames,
  checkAccountSecrets,
  createAccountProvider,
} from '../../../src/accounts/provider.js';
import { SessionStore } from '../../../src/accounts/sessions.js';
import { MissingSecretError } from '../../../src/config/errors.js';
import { parseConfig } from '../../../src/config/load.js';
import { resolveTargetSpec, type Target } from '../../../src/config/targets.js';
import { SecretRegistry } from '../../../src/log.js';
import { fakeAccountServer, journey } from './fixtures.js';

const staging = (accounts: unknown, extra: Record<string, unknown> = {}): Target =>
  resolveTargetSpec(
    parseConfig({ targets: { staging: { accounts, ...extra } } }, 'x'),
    'staging',
    undefined,
  ) as Target;

describe('configured accounts', () => {
  const env = { U: 'prober-qa', PW: 'pw-secret-1', OTP: 'JBSWY3DPEHPK3PXP' };

  it('reads username, password and TOTP secret from the environment and registers them as secrets', async () => {
    const secrets = new SecretRegistry();
    const target = staging({ default: { usernameEnv: 'U', passwordEnv: 'PW', otpSecretEnv: 'OTP' } });
    const account = await createAccountProvider(target, secrets, env)(journey(), target);
    expect(account.username).toBe('prober-qa');
    expect(account.email).toBe('prober-qa');
    expect(account.password.reveal()).toBe('pw-secret-1');
    expect(account.otpSecret?.reveal()).toBe('JBSWY3DPEHPK3PXP');
    expect(JSON.stringify(account)).not.toMatch(/pw-secret-1|JBSWY3DPEHPK3PXP/);
    expect(secrets.scrub('prober-qa pw-secret-1 JBSWY3DPEHPK3PXP')).toBe('[redacted] [redacted] [redacted]');
  });

  it('names a missing TOTP secret before any browser starts', () => {
    const target = staging({ default: { usernameEnv: 'U', passwordEnv: 'PW', otpSecretEnv: 'NO_OTP' } });
    expect(() => checkAccountSecrets(target, [journey()], env)).toThrow(
      new MissingSecretError('secret NO_OTP is not set (set NO_OTP or NO_OTP_FILE)'),
    );
  });

  it("names exactly the variables the account is read from: serve's one-pass check and run's agree", async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ usernameEnv: 'U', emailEnv: 'E', passwordEnv: 'PW', otpSecretEnv: 'OTP' }, ['U', 'E', 'PW', 'OTP']],
      [{ email: 'qa@example.com', passwordEnv: 'PW', otpSecretEnv: 'OTP' }, ['PW', 'OTP']],
      [{ username: 'qa', emailEnv: 'E', passwordEnv: 'PW' }, ['E', 'PW']],
    ];
    for (const [account, names] of cases) {
      const target = staging({ default: account });
      expect(accountSecretNames(target, journey())).toEqual(names);
      // Exactly these set: the check passes and the provider reads the account; any one missing fails both.
      const only = Object.fromEntries(names.map((n) => [n, `value-of-${n}`]));
      expect(() => checkAccountSecrets(target, [journey()], only)).not.toThrow();
      await createAccountProvider(target, new SecretRegistry(), only)(journey(), target);
      for (const name of names) {
        const { [name]: _, ...without } = only;
        expect(() => checkAccountSecrets(target, [journey()], without)).toThrow(MissingSecretError);
      }
    }
  });

  it('gives a purchase a group of the pool for its run, and takes it back', async () => {
    const target = staging({ default: { username: 'qa', passwordEnv: 'PW', groupIds: ['101', '102'] } });
    const provider = createAccountProvider(target, new SecretRegistry(), env);
    const first = await provider(journey('none'), target);
    const second = await provider(journey('none'), target);
    expect([first.groupId, second.groupId]).toEqual(['101', '102']);
    await expect(provider(journey('none'), target)).rejects.toMatchObject({
      failureClass: 'precondition',
      message: 'every group of the pool of staging:username=qa is taken by a run',
    });
    first.releaseGroup?.();
    expect((await provider(journey('none'), target)).groupId).toBe('101');
  });

  it('refuses a group id that is not numeric', () => {
    expect(() => staging({ default: { username: 'qa', passwordEnv: 'PW', groupIds: ['my-group'] } })).toThrow(
      'targets.staging.accounts.default.groupIds[0]: must be a numeric GitLab.com group id',
    );
  });

  it('keys the account like the scheduler, and keeps its session across runs', async () => {
    const target = staging({ default: { username: 'qa', passwordEnv: 'PW' } });
    expect(accountKey(journey(), target)).toBe('staging:username=qa');
    const sessions = SessionStore.inMemory();
    const provider = createAccountProvider(target, new SecretRegistry(), env, { sessions });
    const first = await provider(journey(), target);
    expect(first.session?.restored).toBeUndefined();
    first.session?.signedIn({ cookies: [], origins: [] });
    expect((await provider(journey(), target)).session?.restored).toEqual({ cookies: [], origins: [] });
  });

  it('takes the GitLab.com origin and User-Agent from the target', () => {
    expect(staging({ default: { username: 'qa', passwordEnv: 'PW' } }).gitlabUrl).toBe(
      'https://staging.gitlab.com',
    );
    const target = staging({ default: { username: 'qa', passwordEnv: 'PW' } }, { userAgent: 'QA-Agent/1' });
    expect(target.userAgent).toBe('QA-Agent/1');
    expect(target.cardBudget).toEqual({ perMinute: 3, perHour: 6 });
  });
});

describe('sandbox accounts', () => {
  const sandbox = fakeAccountServer({
    username: 'fresh-user',
    email: 'fresh@example.com',
    password: 'fresh-password-42',
    otpSecret: 'GEZDGNBVGY3TQOJQ',
    groupId: 4242,
  });

  it('asks for a two-factor account when the target says so, and takes its group and TOTP secret', async () => {
    const config = parseConfig({ targets: { sandbox: { accounts: 'sandbox-two-factor' } } }, 'x');
    const target = resolveTargetSpec(config, 'sandbox', sandbox.url) as Target;
    const secrets = new SecretRegistry();
    const account = await createAccountProvider(target, secrets, {})(journey('none'), target);
    expect(sandbox.requests.at(-1)).toEqual({ state: 'none', twoFactor: true });
    expect(account).toMatchObject({ username: 'fresh-user', email: 'fresh@example.com', groupId: '4242' });
    expect(account.otpSecret?.reveal()).toBe('GEZDGNBVGY3TQOJQ');
    expect(secrets.scrub('GEZDGNBVGY3TQOJQ fresh@example.com')).toBe('[redacted] [redacted]');
  });
});
