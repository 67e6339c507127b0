import { z } from 'zod';
import { ACCOUNT_STATES } from '../journey/types.js';
import { cardConfig, envName, plainParams } from './secrets.js';

/** The schema of one target and its accounts (`targets.<name>` of the config). */
export const targetName = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, -)');
export const millis = z.number().int().nonnegative();

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const accountConfig = z.strictObject({
  /** The account's email, or the name of the variable holding it. */
  email: z
    .string()
    .min(1)
    .optional()
    .describe("The account's email, written in the config (give this or emailEnv)."),
  emailEnv: envName
    .optional()
    .describe('Environment variable holding the email (or NAME_FILE naming a file with it).'),
  username: z
    .string()
    .min(1)
    .optional()
    .describe('GitLab.com username, written in the config; sign-in types it instead of the email.'),
  usernameEnv: envName
    .optional()
    .describe('Environment variable holding the GitLab.com username (or NAME_FILE naming a file with it).'),
  /** The variable holding the password; `${passwordEnv}_FILE` may name a file instead. */
  passwordEnv: envName.describe(
    'Environment variable holding the password (or NAME_FILE naming a file with it).',
  ),
  otpSecretEnv: envName
    .optional()
    .describe(
      "Environment variable holding the account's TOTP secret (base32), for two-factor sign-in (or NAME_FILE).",
    ),
  groupIds: z
    .array(z.string().regex(/^\d+$/, 'must be a numeric GitLab.com group id'))
    .min(1)
    .optional()
    .describe(
      'Pool of numeric ids of free top-level groups the account owns: a purchase takes one for its run, its cleanup gives it back.',
    ),
});

const accountKey = z.enum(['default', ...ACCOUNT_STATES]);

export const targetConfig = z.strictObject({
  /** Absent on the sandbox target: an in-process sandbox is started. */
  baseUrl: httpUrl
    .optional()
    .describe(
      "The portal's URL, the only source of URLs for journeys; absent on sandbox: an in-process sandbox is started.",
    ),
  allowPurchases: z
    .boolean()
    .optional()
    .describe(
      'false: journeys that mutate stop before the final confirmation (safe mode). Built in: true on sandbox and staging, false on production; false on new targets.',
    ),
  /** `sandbox`: fresh accounts from the sandbox control API; otherwise credentials per account state. */
  accounts: z
    .union([
      z.literal('sandbox'),
      z.literal('sandbox-two-factor'),
      z.partialRecord(accountKey, accountConfig),
    ])
    .optional()
    .describe(
      '`sandbox` (fresh accounts from the sandbox control API; `sandbox-two-factor`: with a TOTP secret), or credentials per account state: default, none, active, renewable.',
    ),
  gitlabUrl: httpUrl
    .optional()
    .describe(
      "GitLab.com's origin the portal signs in through. Built in: https://staging.gitlab.com on staging, https://gitlab.com on production; the sandbox's own.",
    ),
  userAgent: z
    .string()
    .min(1)
    .optional()
    .describe(
      "User-Agent of the target's browser contexts (GitLab.com allow-lists its QA's); default Chromium's.",
    ),
  cardBudget: z
    .strictObject({
      perMinute: z.number().int().positive().default(3).describe('Card forms sent per account per minute.'),
      perHour: z.number().int().positive().default(6).describe('Card forms sent per account per hour.'),
    })
    .optional()
    .describe(
      "The payment provider's card-submission limit per account: a scheduled run that would exceed it is skipped (`payment_budget`). Default 3 a minute, 6 an hour.",
    ),
  card: cardConfig
    .optional()
    .describe(
      'The payment card journeys type, from secrets. Built in: the test card on sandbox accounts; PROBER_<TARGET>_CARD_NUMBER / _CVV on staging and production.',
    ),
  params: plainParams
    .optional()
    .describe(
      'Non-secret parameters handed to journeys (card holder and expiry, address, plan ids), merged over the built-in ones; never cardNumber or cardCvv (see card).',
    ),
  secretQueryParams: z
    .array(
      z
        .string()
        .regex(/^[A-Za-z0-9_.[\]-]{1,64}$/, 'a query parameter name: 1-64 letters, digits or _ . - [ ]'),
    )
    .max(64)
    .optional()
    .describe(
      "Query parameters whose values are credentials on this target's origins, scrubbed from every URL, trace and log like the built-in ones (token, access_token, code, state, private_token…).",
    ),
  /** A passing run slower than this is `degraded`; per journey name. */
  latencyBudgetMs: z
    .record(z.string(), millis.positive())
    .optional()
    .describe('Per journey name: a passing run slower than this many milliseconds is `degraded`.'),
});
