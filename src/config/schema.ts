import cron from 'node-cron';
import { z } from 'zod';
import { ACCOUNT_STATES } from '../journey/types.js';
import { TRACE_POLICIES } from '../runner/types.js';

/** Environment variable names: where secrets come from (never the secret itself). */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const targetName = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, -)');
const millis = z.number().int().nonnegative();

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const accountConfig = z.strictObject({
  /** The account's email, or the name of the variable holding it. */
  email: z.string().min(1).optional(),
  emailEnv: envName.optional(),
  /** The variable holding the password; `${passwordEnv}_FILE` may name a file instead. */
  passwordEnv: envName,
});

const accountKey = z.enum(['default', ...ACCOUNT_STATES]);

const targetConfig = z.strictObject({
  /** Absent on the sandbox target: an in-process sandbox is started. */
  baseUrl: httpUrl.optional(),
  allowPurchases: z.boolean().optional(),
  /** `sandbox`: fresh accounts from the sandbox control API; otherwise credentials per account state. */
  accounts: z.union([z.literal('sandbox'), z.partialRecord(accountKey, accountConfig)]).optional(),
  /** Non-secret parameters handed to journeys (test card, plan id, prices). */
  params: z.record(z.string(), z.string()).optional(),
  /** A passing run slower than this is `degraded`; per journey name. */
  latencyBudgetMs: z.record(z.string(), millis.positive()).optional(),
});

const cronExpression = z.string().refine((value) => cron.validate(value), {
  error: 'is not a valid cron expression (5 or 6 fields)',
});

const timeZone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'is not a known IANA time zone' },
);

const scheduleConfig = z.strictObject({
  /** A journey name, or `*` for every journey. */
  journey: z.string().min(1),
  target: targetName,
  cron: cronExpression.optional(),
  timezone: timeZone.optional(),
  jitterMs: millis.optional(),
  runOnStart: z.boolean().optional(),
});

const listen = z.string().regex(/^(?:\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'must be HOST:PORT');

export const configSchema = z.strictObject({
  journeysDir: z.string().min(1).default('journeys'),
  targets: z.record(targetName, targetConfig).default({}),
  schedules: z.array(scheduleConfig).default([]),
  defaults: z
    .strictObject({
      cron: cronExpression.default('*/5 * * * *'),
      timezone: timeZone.optional(),
      jitterMs: millis.default(30_000),
      runOnStart: z.boolean().default(false),
    })
    .prefault({}),
  concurrency: z.number().int().min(1).max(32).default(2),
  retries: z.number().int().min(0).max(5).default(0),
  trace: z.enum(TRACE_POLICIES).default('retain-on-failure'),
  artifacts: z
    .strictObject({
      dir: z.string().min(1).default('artifacts'),
      maxRuns: z.number().int().positive().default(500),
      maxBytes: z
        .number()
        .int()
        .positive()
        .default(1024 * 1024 * 1024),
    })
    .prefault({}),
  results: z
    .strictObject({
      path: z.string().min(1).default('results/runs.jsonl'),
      maxBytes: z
        .number()
        .int()
        .positive()
        .default(64 * 1024 * 1024),
      retainRuns: z.number().int().positive().default(20_000),
    })
    .prefault({}),
  browser: z
    .strictObject({
      path: z.string().min(1).optional(),
      headless: z.boolean().default(true),
      recycleAfterRuns: z.number().int().nonnegative().default(200),
      args: z.array(z.string()).default([]),
    })
    .prefault({}),
  shutdownGraceMs: millis.default(30_000),
  listen: listen.optional(),
  statusAuth: z.strictObject({ username: z.string().min(1), passwordEnv: envName }).optional(),
});

/** The config file as written (every key optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** The config after defaults, before targets are merged with the built-in ones. */
export type ParsedConfig = z.output<typeof configSchema>;
export type TargetConfig = z.output<typeof targetConfig>;
export type AccountConfig = z.output<typeof accountConfig>;
export type ScheduleConfig = z.output<typeof scheduleConfig>;
