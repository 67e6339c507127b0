import { JourneyFailure } from '../journey/failure.js';
import { Secret } from '../journey/secret.js';
import type { Account, AccountState, Journey } from '../journey/types.js';
import type { SecretRegistry } from '../log.js';
import type { AccountProvider } from '../runner/types.js';
import { readSecret } from '../config/secrets.js';
import type { AccountConfig } from '../config/schema.js';
import type { AccountSource, Target, TargetSpec } from '../config/targets.js';
import { CardBudget } from './card-budget.js';
import { GroupPool } from './group-pool.js';
import { SessionStore } from './sessions.js';

const SANDBOX_ACCOUNT_TIMEOUT_MS = 10_000;

type Configured = Extract<AccountSource, { kind: 'configured' }>;

function pick(source: Configured, state: AccountState): AccountConfig | undefined {
  return source.accounts[state] ?? source.accounts.default;
}

/**
 * The account a journey uses on a target, as a key: runs with equal keys share a test
 * account (the scheduler's account lock, its card budget, its kept session). Sandbox
 * accounts are fresh per run and targets without accounts have none: no key.
 */
export function accountKey(
  journey: Journey,
  spec: Pick<TargetSpec, 'name' | 'accountSource'>,
): string | undefined {
  const source = spec.accountSource;
  if (source.kind !== 'configured') return undefined;
  const account = pick(source, journey.accountState);
  if (account === undefined) return undefined;
  const who =
    account.email !== undefined
      ? `email=${account.email}`
      : account.emailEnv !== undefined
        ? `env=${account.emailEnv}`
        : account.username !== undefined
          ? `username=${account.username}`
          : `env=${account.usernameEnv ?? ''}`;
  return `${spec.name}:${who}`;
}

/** The secrets an account config names, read now: a missing one is a usage error before any browser starts. */
function readConfigured(config: AccountConfig, env: NodeJS.ProcessEnv) {
  const username = config.username ?? (config.usernameEnv ? readSecret(config.usernameEnv, env) : undefined);
  const email = config.email ?? (config.emailEnv ? readSecret(config.emailEnv, env) : undefined);
  if (email === undefined && username === undefined) {
    // The schema allows each key alone; one of the four must name who signs in.
    readSecret(config.emailEnv ?? config.usernameEnv ?? 'PROBER_ACCOUNT_EMAIL', env);
  }
  return {
    email: email ?? username ?? '',
    ...(username === undefined ? {} : { username }),
    password: readSecret(config.passwordEnv, env),
    ...(config.otpSecretEnv === undefined ? {} : { otpSecret: readSecret(config.otpSecretEnv, env) }),
  };
}

/**
 * The variables an account's secrets are read from, as readConfigured reads them: a value
 * written in the config wins over its variable, and with neither email nor username given,
 * PROBER_ACCOUNT_EMAIL names who signs in.
 */
function secretNamesOf(config: AccountConfig): string[] {
  const who = [
    ...(config.username === undefined && config.usernameEnv !== undefined ? [config.usernameEnv] : []),
    ...(config.email === undefined && config.emailEnv !== undefined ? [config.emailEnv] : []),
  ];
  const named = who.length > 0 || config.email !== undefined || config.username !== undefined;
  return [
    ...who,
    ...(named ? [] : ['PROBER_ACCOUNT_EMAIL']),
    config.passwordEnv,
    ...(config.otpSecretEnv === undefined ? [] : [config.otpSecretEnv]),
  ];
}

/** The variables holding the secrets of the account a journey uses on a target (serve checks each at once). */
export function accountSecretNames(target: Pick<TargetSpec, 'accountSource'>, journey: Journey): string[] {
  const source = target.accountSource;
  const config = source.kind === 'configured' ? pick(source, journey.accountState) : undefined;
  return config === undefined ? [] : secretNamesOf(config);
}

/** The account states the given journeys need on a target, and each one's secrets: checked before any browser starts. */
export function checkAccountSecrets(
  target: Target,
  journeys: readonly Journey[],
  env: NodeJS.ProcessEnv = process.env,
): void {
  const source = target.accountSource;
  if (source.kind !== 'configured') return;
  for (const journey of journeys) {
    const config = pick(source, journey.accountState);
    if (config === undefined) continue; // a run-time precondition failure, not a usage error
    for (const name of secretNamesOf(config)) readSecret(name, env);
  }
}

interface SandboxAccountResponse {
  username?: unknown;
  email?: unknown;
  password?: unknown;
  otpSecret?: unknown;
  groupId?: unknown;
  subscriptionId?: unknown;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/** A fresh GitLab.com account and portal customer from the sandbox control API. */
async function sandboxAccount(
  baseUrl: string,
  state: AccountState,
  twoFactor: boolean,
  secrets: SecretRegistry,
): Promise<Omit<Account, 'session' | 'cardBudget'>> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/__sandbox/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(twoFactor ? { state, twoFactor } : { state }),
      signal: AbortSignal.timeout(SANDBOX_ACCOUNT_TIMEOUT_MS),
    });
  } catch (error) {
    throw new JourneyFailure(
      'precondition',
      `sandbox account (${state}) could not be created: ${String(error)}`,
    );
  }
  if (!response.ok) {
    throw new JourneyFailure(
      'precondition',
      `sandbox account (${state}) could not be created: HTTP ${response.status}`,
    );
  }
  const body = (await response.json()) as SandboxAccountResponse;
  const email = text(body.email);
  const password = text(body.password);
  if (email === undefined || password === undefined) {
    throw new JourneyFailure('precondition', 'sandbox account response has no email or password');
  }
  const username = text(body.username);
  const otpSecret = text(body.otpSecret);
  const groupId = text(body.groupId);
  const subscriptionId = text(body.subscriptionId);
  for (const secret of [email, password, username, otpSecret]) if (secret !== undefined) secrets.add(secret);
  return {
    email,
    password: new Secret(password),
    ...(username === undefined ? {} : { username }),
    ...(otpSecret === undefined ? {} : { otpSecret: new Secret(otpSecret) }),
    ...(groupId === undefined ? {} : { groupId }),
    ...(subscriptionId === undefined ? {} : { subscriptionId }),
  };
}

/** An account whose every use fails the step as a precondition: for targets with no account. */
function noAccount(target: string): Account {
  const missing = (): never => {
    throw new JourneyFailure('precondition', `target "${target}" has no account configured`);
  };
  return {
    get email(): string {
      return missing();
    },
    get password(): Secret {
      return missing();
    },
  };
}

/** What a provider shares across the runs of one command. */
export interface AccountProviderOptions {
  /** Signed-in sessions kept between runs; default: none kept (every run signs in). */
  readonly sessions?: SessionStore;
  /** The card-submission record the scheduler budgets with; default a fresh one. */
  readonly cardBudget?: CardBudget;
}

/**
 * Where each run's account comes from on a target: fresh sandbox accounts, or configured
 * credentials (secrets from the environment), with the account's kept session, its card
 * budget, and for a purchase a group taken from the account's pool.
 */
export function createAccountProvider(
  target: Target,
  secrets: SecretRegistry,
  env: NodeJS.ProcessEnv = process.env,
  options: AccountProviderOptions = {},
): AccountProvider {
  const sessions = options.sessions ?? SessionStore.none();
  const budget = options.cardBudget ?? new CardBudget();
  const source = target.accountSource;
  const pools = new Map<AccountConfig, GroupPool>();
  return async (journey) => {
    switch (source.kind) {
      case 'none':
        return noAccount(target.name);
      case 'sandbox': {
        const account = await sandboxAccount(target.baseUrl, journey.accountState, source.twoFactor, secrets);
        const key = `${target.name}:sandbox=${account.username ?? account.email}`;
        return {
          ...account,
          session: sessions.handle(key),
          cardBudget: budget.view(key, target.cardBudget),
        };
      }
      case 'configured': {
        const config = pick(source, journey.accountState);
        if (config === undefined) {
          throw new JourneyFailure(
            'precondition',
            `target "${target.name}" has no account for state "${journey.accountState}" (nor a default)`,
          );
        }
        const read = readConfigured(config, env);
        for (const secret of [read.email, read.username, read.password, read.otpSecret]) {
          if (secret !== undefined) secrets.add(secret);
        }
        const key = accountKey(journey, target)!;
        let pool = pools.get(config);
        if (pool === undefined && config.groupIds !== undefined) {
          pool = new GroupPool(config.groupIds);
          pools.set(config, pool);
        }
        const lease = journey.accountState === 'none' ? pool?.take(2 * journey.timeoutMs) : undefined;
        if (journey.accountState === 'none' && pool !== undefined && lease === undefined) {
          throw new JourneyFailure('precondition', `every group of the pool of ${key} is taken by a run`);
        }
        return {
          email: read.email,
          password: new Secret(read.password),
          ...(read.username === undefined ? {} : { username: read.username }),
          ...(read.otpSecret === undefined ? {} : { otpSecret: new Secret(read.otpSecret) }),
          ...(lease === undefined
            ? config.groupIds?.[0] === undefined
              ? {}
              : { groupId: config.groupIds[0] }
            : { groupId: lease.groupId, releaseGroup: lease.release }),
          session: sessions.handle(`${target.name}:${read.username ?? read.email}`),
          cardBudget: budget.view(key, target.cardBudget),
        };
      }
    }
  };
}
