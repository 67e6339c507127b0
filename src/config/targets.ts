import type { TargetInfo } from '../journey/types.js';
import { UsageError } from './errors.js';
import type { CardBudgetConfig, ParsedConfig, TargetConfig } from './schema.js';
import type { CardConfig } from './secrets.js';

/** Where a target's accounts come from. */
export type AccountSource =
  | { readonly kind: 'sandbox'; readonly twoFactor: boolean }
  | {
      readonly kind: 'configured';
      readonly accounts: NonNullable<Exclude<TargetConfig['accounts'], 'sandbox' | 'sandbox-two-factor'>>;
    }
  | { readonly kind: 'none' };

/**
 * Where a target's payment card comes from: secrets named by the config, or the sandbox's
 * test card (the sandbox target, and targets with sandbox accounts, that name none); none:
 * journeys that pay fail.
 */
export type CardSource = { readonly kind: 'env'; readonly env: CardConfig } | { readonly kind: 'sandbox' };

/** A target ready to probe, once its base URL is known. */
export interface Target extends TargetInfo {
  readonly accountSource: AccountSource;
  readonly cardSource?: CardSource;
  readonly latencyBudgetMs: Readonly<Record<string, number>>;
  /** Query parameters whose values are credentials here, besides the built-in ones (sanitize.ts). */
  readonly secretQueryParams?: readonly string[];
  /** The payment provider's card-submission limit per account (DESIGN.md "Card submissions"). */
  readonly cardBudget: Readonly<CardBudgetConfig>;
}

/** The payment provider's limit: 3 card forms a minute, 6 an hour per account (customersdot-flows.md). */
export const DEFAULT_CARD_BUDGET: Readonly<CardBudgetConfig> = Object.freeze({ perMinute: 3, perHour: 6 });

/** A target as configured: the sandbox's base URL is known only once it has started. */
export interface TargetSpec extends Omit<Target, 'baseUrl'> {
  readonly baseUrl: string | undefined;
}

/**
 * The test card's holder and expiry and the address of the portal's staging documentation.
 * Its number and CVV are secrets: `card` (the sandbox's built-in test card, or variables).
 */
const TEST_CARD_PARAMS = {
  // Premium in the staging catalogue (GitLab QA's plan helper); the sandbox uses the same ids.
  planId: '2c92a00d76f0d5060176f2fb0a5029ff',
  cardHolder: 'QA Test',
  cardExpiryMonth: '01',
  cardExpiryYear: '2030',
  country: 'United States',
  street: '600 Harrison Street',
  city: 'San Francisco',
  state: 'California',
  zip: '94102',
};

/** Built-in targets (DESIGN.md "Targets"); a config file can add or override them. */
export const BUILT_IN_TARGETS: Readonly<Record<string, TargetConfig>> = {
  sandbox: { accounts: 'sandbox', allowPurchases: true, params: TEST_CARD_PARAMS },
  staging: {
    baseUrl: 'https://customers.staging.gitlab.com',
    gitlabUrl: 'https://staging.gitlab.com',
    allowPurchases: true,
    accounts: { default: { emailEnv: 'PROBER_STAGING_EMAIL', passwordEnv: 'PROBER_STAGING_PASSWORD' } },
    card: { numberEnv: 'PROBER_STAGING_CARD_NUMBER', cvvEnv: 'PROBER_STAGING_CARD_CVV' },
    params: TEST_CARD_PARAMS,
  },
  production: {
    baseUrl: 'https://customers.gitlab.com',
    gitlabUrl: 'https://gitlab.com',
    allowPurchases: false,
    accounts: { default: { emailEnv: 'PROBER_PRODUCTION_EMAIL', passwordEnv: 'PROBER_PRODUCTION_PASSWORD' } },
    card: { numberEnv: 'PROBER_PRODUCTION_CARD_NUMBER', cvvEnv: 'PROBER_PRODUCTION_CARD_CVV' },
    params: TEST_CARD_PARAMS,
  },
};

/** The name `--base-url` without `--target` gives its ad-hoc target. */
export const ADHOC_TARGET = 'adhoc';

function toSpec(
  name: string,
  base: TargetConfig | undefined,
  override: TargetConfig | undefined,
): TargetSpec {
  const merged: TargetConfig = {
    ...base,
    ...override,
    params: { ...base?.params, ...override?.params },
    latencyBudgetMs: { ...base?.latencyBudgetMs, ...override?.latencyBudgetMs },
    secretQueryParams: [
      ...new Set([...(base?.secretQueryParams ?? []), ...(override?.secretQueryParams ?? [])]),
    ],
  };
  const accounts = merged.accounts;
  const sandboxAccounts = accounts === 'sandbox' || accounts === 'sandbox-two-factor';
  return {
    name,
    baseUrl: merged.baseUrl?.replace(/\/+$/, ''),
    allowPurchases: merged.allowPurchases ?? false,
    params: Object.freeze(merged.params ?? {}),
    latencyBudgetMs: Object.freeze(merged.latencyBudgetMs ?? {}),
    cardBudget: Object.freeze({ ...DEFAULT_CARD_BUDGET, ...merged.cardBudget }),
    ...(merged.gitlabUrl === undefined ? {} : { gitlabUrl: merged.gitlabUrl.replace(/\/+$/, '') }),
    ...(merged.userAgent === undefined ? {} : { userAgent: merged.userAgent }),
    ...(merged.secretQueryParams?.length
      ? { secretQueryParams: Object.freeze(merged.secretQueryParams) }
      : {}),
    ...(merged.card !== undefined
      ? { cardSource: { kind: 'env', env: merged.card } }
      : sandboxAccounts || name === 'sandbox'
        ? { cardSource: { kind: 'sandbox' } }
        : {}),
    accountSource: sandboxAccounts
      ? { kind: 'sandbox', twoFactor: accounts === 'sandbox-two-factor' }
      : accounts === undefined
        ? { kind: 'none' }
        : { kind: 'configured', accounts },
  };
}

/** Every known target: built-in ones, overridden and extended by the config. */
export function targetSpecs(config: Pick<ParsedConfig, 'targets'>): ReadonlyMap<string, TargetSpec> {
  const names = new Set([...Object.keys(BUILT_IN_TARGETS), ...Object.keys(config.targets)]);
  return new Map(
    [...names].map((name) => [name, toSpec(name, BUILT_IN_TARGETS[name], config.targets[name])]),
  );
}

/**
 * The target a command probes: by name, with `--base-url` overriding its URL; a base URL
 * with no target name makes the ad-hoc target, with no account.
 */
export function resolveTargetSpec(
  config: Pick<ParsedConfig, 'targets'>,
  name: string | undefined,
  baseUrl: string | undefined,
): TargetSpec {
  if (name === undefined && baseUrl !== undefined) {
    return { ...toSpec(ADHOC_TARGET, undefined, { baseUrl }), baseUrl: baseUrl.replace(/\/+$/, '') };
  }
  const specs = targetSpecs(config);
  const chosen = name ?? 'sandbox';
  const spec = specs.get(chosen);
  if (spec === undefined) {
    throw new UsageError(`unknown target "${chosen}" (known: ${[...specs.keys()].join(', ')})`);
  }
  return baseUrl === undefined ? spec : { ...spec, baseUrl: baseUrl.replace(/\/+$/, '') };
}
