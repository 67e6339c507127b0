import { JourneyFailure } from '../journey/failure.js';
import { Secret } from '../journey/secret.js';
import type { Account, AccountState, Journey } from '../journey/types.js';
import type { SecretRegistry } from '../log.js';
import type { AccountProvider } from '../runner/types.js';
import { readSecret } from './secrets.js';
import type { AccountConfig } from './schema.js';
import type { AccountSource, Target } from './targets.js';

const SANDBOX_ACCOUNT_TIMEOUT_MS = 10_000;

function configuredAccount(config: AccountConfig, env: NodeJS.ProcessEnv, secrets: SecretRegistry): Account {
  const email = config.email ?? readSecret(config.emailEnv ?? '', env);
  const password = readSecret(config.passwordEnv, env);
  secrets.add(password);
  return { email, password: new Secret(password) };
}

function pick(
  source: Extract<AccountSource, { kind: 'configured' }>,
  state: AccountState,
): AccountConfig | undefined {
  return source.accounts[state] ?? source.accounts.default;
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
    if (config.emailEnv !== undefined) readSecret(config.emailEnv, env);
    readSecret(config.passwordEnv, env);
  }
}

interface SandboxAccountResponse {
  email?: unknown;
  password?: unknown;
  subscriptionId?: unknown;
}

async function sandboxAccount(
  baseUrl: string,
  state: AccountState,
  secrets: SecretRegistry,
): Promise<Account> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/__sandbox/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state }),
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
  if (typeof body.email !== 'string' || typeof body.password !== 'string') {
    throw new JourneyFailure('precondition', 'sandbox account response has no email or password');
  }
  secrets.add(body.password);
  return {
    email: body.email,
    password: new Secret(body.password),
    ...(typeof body.subscriptionId === 'string' ? { subscriptionId: body.subscriptionId } : {}),
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

/** Where each run's account comes from on a target (issue: "each run gets its account from the target"). */
export function createAccountProvider(
  target: Target,
  secrets: SecretRegistry,
  env: NodeJS.ProcessEnv = process.env,
): AccountProvider {
  const source = target.accountSource;
  return (journey) => {
    switch (source.kind) {
      case 'sandbox':
        return sandboxAccount(target.baseUrl, journey.accountState, secrets);
      case 'none':
        return Promise.resolve(noAccount(target.name));
      case 'configured': {
        const config = pick(source, journey.accountState);
        if (config === undefined) {
          return Promise.reject(
            new JourneyFailure(
              'precondition',
              `target "${target.name}" has no account for state "${journey.accountState}" (nor a default)`,
            ),
          );
        }
        return Promise.resolve(configuredAccount(config, env, secrets));
      }
    }
  };
}
