import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { checkAccountSecrets, createAccountProvider } from '../../../src/accounts/provider.js';
import { MissingSecretError, UsageError } from '../../../src/config/errors.js';
import { parseConfig } from '../../../src/config/load.js';
import { readCard, readSecret, SANDBOX_TEST_CARD } from '../../../src/config/secrets.js';
import { bringUp, checkSecrets } from '../../../src/commands/prepare.js';
import { resolveTargetSpec, type Target } from '../../../src/config/targets.js';
import { JourneyFailure } from '../../../src/journey/failure.js';
import { SecretRegistry } from '../../../src/log.js';
import { defineJourney } from '../../../src/journey/define.js';
import { fakeAccountServer, journey } from '../accounts/fixtures.js';

const silent = () => pino({ level: 'silent' });

describe('targets', () => {
  const config = parseConfig(
    { targets: { production: { allowPurchases: true }, qa: { baseUrl: 'https://qa.example/' } } },
    't.yaml',
  );

  it('has the built-in targets, the sandbox by default', () => {
    const sandbox = resolveTargetSpec(config, undefined, undefined);
    expect(sandbox.name).toBe('sandbox');
    expect(sandbox.baseUrl).toBeUndefined();
    expect(sandbox.accountSource.kind).toBe('sandbox');
    expect(resolveTargetSpec(config, 'staging', undefined).baseUrl).toBe(
      'https://customers.staging.gitlab.com',
    );
  });

  it('lets the config override a built-in target and add new ones', () => {
    const production = resolveTargetSpec(config, 'production', undefined);
    expect(production.allowPurchases).toBe(true);
    expect(production.baseUrl).toBe('https://customers.gitlab.com');
    expect(production.params.cardHolder).toBe('QA Test');
    expect(production.params.cardNumber).toBeUndefined();
    expect(production.cardSource).toEqual({
      kind: 'env',
      env: { numberEnv: 'PROBER_PRODUCTION_CARD_NUMBER', cvvEnv: 'PROBER_PRODUCTION_CARD_CVV' },
    });
    expect(resolveTargetSpec(config, 'sandbox', undefined).cardSource).toEqual({ kind: 'sandbox' });
    expect(resolveTargetSpec(config, 'qa', undefined).baseUrl).toBe('https://qa.example');
  });

  it('keeps production in safe mode by default', () => {
    expect(resolveTargetSpec(parseConfig({}, 'x'), 'production', undefined).allowPurchases).toBe(false);
  });

  it('makes an ad-hoc target with no account from a base URL alone', () => {
    const adhoc = resolveTargetSpec(config, undefined, 'http://127.0.0.1:8080/');
    expect(adhoc).toMatchObject({ name: 'adhoc', baseUrl: 'http://127.0.0.1:8080', allowPurchases: false });
    expect(adhoc.accountSource.kind).toBe('none');
  });

  it('overrides the URL of a named target with --base-url', () => {
    expect(resolveTargetSpec(config, 'staging', 'http://localhost:3000').baseUrl).toBe(
      'http://localhost:3000',
    );
  });

  it("carries a target's secret query parameters, none by default, and refuses a bad name", () => {
    const custom = parseConfig(
      { targets: { staging: { secretQueryParams: ['sid', 'sso[ticket]', 'sid'] } } },
      't.yaml',
    );
    expect(resolveTargetSpec(custom, 'staging', undefined).secretQueryParams).toEqual(['sid', 'sso[ticket]']);
    expect(resolveTargetSpec(config, 'staging', undefined).secretQueryParams).toBeUndefined();
    expect(() => parseConfig({ targets: { qa: { secretQueryParams: ['a b'] } } }, 't.yaml')).toThrow(
      /targets\.qa\.secretQueryParams\[0\]: a query parameter name: 1-64 letters, digits or _ \. - \[ \]/,
    );
  });

  it('names the known targets when one is unknown', () => {
    expect(() => resolveTargetSpec(config, 'nowhere', undefined)).toThrow(
      new UsageError('unknown target "nowhere" (known: sandbox, staging, production, qa)'),
    );
  });
});

describe('secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prober-secrets-'));

  it('reads a variable, else the file its _FILE names', () => {
    writeFileSync(join(dir, 'pw'), 's3cret-from-file\n');
    expect(readSecret('PW', { PW: 'direct' })).toBe('direct');
    expect(readSecret('PW', { PW_FILE: join(dir, 'pw') })).toBe('s3cret-from-file');
  });

  it('says which variable is missing, without any value', () => {
    expect(() => readSecret('PROBER_STAGING_PASSWORD', {})).toThrow(
      new MissingSecretError(
        'secret PROBER_STAGING_PASSWORD is not set (set PROBER_STAGING_PASSWORD or PROBER_STAGING_PASSWORD_FILE)',
      ),
    );
    expect(() => readSecret('PW', { PW_FILE: join(dir, 'nope') })).toThrow(
      'secret PW: cannot read PW_FILE (ENOENT)',
    );
    writeFileSync(join(dir, 'empty'), '\n');
    expect(() => readSecret('PW', { PW_FILE: join(dir, 'empty') })).toThrow('is empty');
  });

  it('checks the secrets of every account the journeys need before a browser starts', () => {
    const staging = {
      ...resolveTargetSpec(parseConfig({}, 'x'), 'staging', undefined),
      baseUrl: 'https://s',
    } as Target;
    expect(() => checkAccountSecrets(staging, [journey()], {})).toThrow(/PROBER_STAGING_EMAIL is not set/);
    expect(() =>
      checkAccountSecrets(staging, [journey()], {
        PROBER_STAGING_EMAIL: 'qa@example.com',
        PROBER_STAGING_PASSWORD: 'pw-1234',
      }),
    ).not.toThrow();
  });
});

describe('the target card', () => {
  const paying = defineJourney({ name: 'p', description: 'd', cardSubmissions: 1, run: async () => {} });
  const staging = resolveTargetSpec(parseConfig({}, 'x'), 'staging', undefined);
  const accountEnv = { PROBER_STAGING_EMAIL: 'qa@example.com', PROBER_STAGING_PASSWORD: 'pw-1234' };

  it('is checked before a browser starts, only for journeys that pay', () => {
    expect(() => checkSecrets(staging, [paying], accountEnv)).toThrow(
      new MissingSecretError(
        'secret PROBER_STAGING_CARD_NUMBER is not set (set PROBER_STAGING_CARD_NUMBER or PROBER_STAGING_CARD_NUMBER_FILE)',
      ),
    );
    expect(() => checkSecrets(staging, [journey()], accountEnv)).not.toThrow();
    const dir = mkdtempSync(join(tmpdir(), 'card-'));
    writeFileSync(join(dir, 'cvv'), '321\n');
    const withCard = { ...accountEnv, PROBER_STAGING_CARD_NUMBER: '4111111111111111' };
    expect(() => checkSecrets(staging, [paying], withCard)).toThrow(
      'secret PROBER_STAGING_CARD_CVV is not set',
    );
    expect(readCard({ numberEnv: 'N', cvvEnv: 'C' }, { N: '4111', C_FILE: join(dir, 'cvv') })).toEqual({
      number: '4111',
      cvv: '321',
    });
    expect(() =>
      checkSecrets(staging, [paying], { ...withCard, PROBER_STAGING_CARD_CVV_FILE: join(dir, 'cvv') }),
    ).not.toThrow();
  });

  it('is the test card on the sandbox, registered as secrets in every form', async () => {
    const secrets = new SecretRegistry();
    const sandbox = resolveTargetSpec(parseConfig({}, 'x'), 'sandbox', undefined);
    const live = await bringUp({ ...sandbox, baseUrl: 'http://127.0.0.1:9' }, secrets, silent(), {});
    expect(live.target.card?.number.reveal()).toBe(SANDBOX_TEST_CARD.number);
    expect(JSON.stringify(live.target.card)).toBe('{"number":"[redacted]","cvv":"[redacted]"}');
    expect(
      secrets.scrub('typed 4111111111111111 and 4111-1111-1111-1111, {"cvv":"123"}, x=123&y, 1234'),
    ).toBe('typed [redacted] and [redacted], {"cvv":"[redacted]"}, x=[redacted]&y, 1234');
    await live.close();
  });
});

describe('account providers', () => {
  const sandbox = fakeAccountServer({
    email: 'fresh@example.com',
    password: 'fresh-password-42',
    subscriptionId: 'sub-1',
  });

  it('asks the sandbox for a fresh account in the state the journey needs, and registers its password', async () => {
    const secrets = new SecretRegistry();
    const spec = resolveTargetSpec(parseConfig({}, 'x'), 'sandbox', sandbox.url);
    const provider = createAccountProvider(spec as Target, secrets, {});
    const account = await provider(journey('renewable'), spec as Target);
    expect(sandbox.requests).toEqual([{ state: 'renewable' }]);
    expect(account.email).toBe('fresh@example.com');
    expect(account.password.reveal()).toBe('fresh-password-42');
    expect(JSON.stringify(account)).not.toContain('fresh-password-42');
    expect(secrets.scrub('pw=fresh-password-42')).toBe('pw=[redacted]');
  });

  it('fails a missing account state as a precondition', async () => {
    const config = parseConfig(
      {
        targets: {
          qa: {
            baseUrl: 'https://qa.example',
            accounts: { active: { email: 'a@b.c', passwordEnv: 'QA_PW' } },
          },
        },
      },
      'x',
    );
    const spec = resolveTargetSpec(config, 'qa', undefined) as Target;
    const provider = createAccountProvider(spec, new SecretRegistry(), { QA_PW: 'pw-1234' });
    await expect(provider(journey('renewable'), spec)).rejects.toThrow(JourneyFailure);
    await expect(provider(journey('renewable'), spec)).rejects.toMatchObject({
      failureClass: 'precondition',
    });
    expect((await provider(journey('active'), spec)).email).toBe('a@b.c');
  });

  it('gives ad-hoc targets an account whose use is a precondition failure', async () => {
    const spec = resolveTargetSpec(parseConfig({}, 'x'), undefined, 'http://x.example') as Target;
    const account = await createAccountProvider(spec, new SecretRegistry(), {})(journey(), spec);
    expect(() => account.email).toThrow('target "adhoc" has no account configured');
  });
});
