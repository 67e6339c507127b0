import { z } from 'zod';
import { cronExpression, timeZone } from './cron.js';
import { DEFAULT_TRACE_POLICY, TRACE_POLICIES } from '../runner/types.js';
import { envName } from './secrets.js';
import type { accountConfig } from './target-schema.js';
import { millis, targetConfig, targetName } from './target-schema.js';
/** An http(s) URL that may hold `{journey}` and `{target}` (filled in, URL-encoded). */
const linkTemplate = z
  .string()
  .refine(
    (t) => URL.canParse(t.replaceAll('{journey}', 'j').replaceAll('{target}', 't')) && /^https?:\/\//.test(t),
    {
      error: 'must be an http(s) URL (with {journey} and {target} if wanted)',
    },
  );

export const scheduleConfig = z.strictObject({
  /** A journey name, or `*` for every journey. */
  journey: z.string().min(1).describe('A journey name, or `*` for every journey.'),
  target: targetName.describe(
    'The target to probe: built in (sandbox, staging, production) or under `targets`.',
  ),
  cron: cronExpression.optional().describe('When to run (5 or 6 cron fields); default `defaults.cron`.'),
  timezone: timeZone
    .optional()
    .describe('IANA time zone of the cron expression; default `defaults.timezone`.'),
  jitterMs: millis
    .optional()
    .describe('Random delay of up to this many milliseconds before each run; default `defaults.jitterMs`.'),
  runOnStart: z
    .boolean()
    .optional()
    .describe('Also run once when `serve` starts; default `defaults.runOnStart`.'),
});

const listen = z
  .string()
  .regex(/^(?:\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'must be HOST:PORT')
  // The port's range here, not only when serve binds it: with the file's other problems.
  .refine((v) => !/:\d+$/.test(v) || Number(v.slice(v.lastIndexOf(':') + 1)) <= 65_535, {
    error: 'port must be from 0 to 65535',
  });

export const configSchema = z.strictObject({
  journeysDir: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Directory of your `*.journey.ts` files, relative to the config file. Default: `journeys`, if it exists; set, it must exist and replaces the built-in journeys unless `builtInJourneys: true`.',
    ),
  builtInJourneys: z
    .boolean()
    .optional()
    .describe(
      "Also load the package's own journeys (purchase, renewal, seat-change); a journey of yours with the same name replaces the built-in one. Default: true unless `journeysDir` is set.",
    ),
  targets: z
    .record(targetName, targetConfig)
    .default({})
    .describe(
      'Targets by kebab-case name: new ones, or overrides of the built-in sandbox, staging and production.',
    ),
  schedules: z
    .array(scheduleConfig)
    .default([])
    .describe('What `serve` runs and when: one entry per journey (or `*`) and target.'),
  defaults: z
    .strictObject({
      cron: cronExpression.default('*/5 * * * *').describe('Schedule of entries that give none.'),
      timezone: timeZone.optional().describe("Time zone of entries that give none; default the host's."),
      jitterMs: millis.default(30_000).describe('Jitter of entries that give none, in milliseconds.'),
      runOnStart: z.boolean().default(false).describe('runOnStart of entries that give none.'),
    })
    .prefault({})
    .describe('Defaults of every schedule entry.'),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(32)
    .default(2)
    .describe('Runs in progress at once in `serve` (one browser context each, ~100 MB of memory).'),
  isolation: z
    .enum(['worker', 'off'])
    .default('worker')
    .describe(
      "Where a journey file's code runs (docs/reliability.md \"Journey isolation\"): `worker`, a worker thread reused from run to run, so a journey's bug (an uncaught throw, a stray rejection, `process.exit`, a synchronous loop) ends its run as `error/script`, never the prober; `off`, in the prober's own thread. PROBER_ISOLATION overrides it.",
    ),
  retries: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(0)
    .describe('Retries of a failed run; a pass on retry is `flaky`. `run --retries` overrides it.'),
  trace: z
    .enum(TRACE_POLICIES)
    .default(DEFAULT_TRACE_POLICY)
    .describe(
      'When to record and keep a Playwright trace (docs/evidence.md): `on-first-retry` traces only the first retry (attempt 2, with `retries` ≥ 1; the policy adds no retry), `retain-on-failure` traces every attempt and keeps failed ones, `on` keeps every run, `off` none. `run --trace` overrides it.',
    ),
  artifacts: z
    .strictObject({
      dir: z
        .string()
        .min(1)
        .default('artifacts')
        .describe('Where failure evidence goes, relative to the config file.'),
      maxRuns: z
        .number()
        .int()
        .positive()
        .default(500)
        .describe('Keep the evidence of at most this many runs.'),
      maxBytes: z
        .number()
        .int()
        .positive()
        .default(1024 * 1024 * 1024)
        .describe('Keep at most this many bytes of evidence; the oldest goes first.'),
    })
    .prefault({})
    .describe('Failure evidence: screenshot, trace, console and request logs of failed runs.'),
  results: z
    .strictObject({
      path: z
        .string()
        .min(1)
        .default('results/runs.jsonl')
        .describe('Append-only run history (JSON lines), relative to the config file.'),
      maxBytes: z
        .number()
        .int()
        .positive()
        .default(64 * 1024 * 1024)
        .describe('Size in bytes at which the history is compacted.'),
      retainRuns: z
        .number()
        .int()
        .positive()
        .default(20_000)
        .describe('Runs kept when the history is compacted.'),
    })
    .prefault({})
    .describe('Durable history of run results (status page, /api/runs).'),
  browser: z
    .strictObject({
      path: z
        .string()
        .min(1)
        .optional()
        .describe(
          "Chromium executable; PROBER_BROWSER_PATH wins. Default: Playwright's Chromium if installed, else the system's.",
        ),
      headless: z.boolean().default(true).describe('false shows the browser (needs a display).'),
      recycleAfterRuns: z
        .number()
        .int()
        .nonnegative()
        .default(200)
        .describe('Relaunch Chromium after this many runs, to bound its memory; 0 never.'),
      args: z.array(z.string()).default([]).describe('Extra Chromium command-line switches.'),
    })
    .prefault({})
    .describe('The browser every run shares.'),
  shutdownGraceMs: millis
    .default(30_000)
    .describe(
      'On SIGTERM, how long runs in progress may take to finish before they are cut, in milliseconds.',
    ),
  listen: listen
    .optional()
    .describe('HOST:PORT of the HTTP server of `serve`; PROBER_LISTEN wins. Default 127.0.0.1:9464.'),
  statusAuth: z
    .strictObject({
      username: z.string().min(1).describe('User name of HTTP basic auth.'),
      passwordEnv: envName.describe('Environment variable holding its password (or NAME_FILE).'),
      openMetrics: z
        .boolean()
        .default(false)
        .describe(
          '`true` leaves `/metrics` open (for a Prometheus without credentials, behind a NetworkPolicy); by default it needs the same basic auth.',
        ),
    })
    .optional()
    .describe(
      'HTTP basic auth on the status page, results API, artifacts, trace viewer and `/metrics` (unless `openMetrics`); never on `/healthz` and `/readyz`.',
    ),
  statusLinks: z
    .array(
      z.strictObject({
        journey: z
          .string()
          .min(1)
          .optional()
          .describe('The journey it applies to; every journey when absent.'),
        target: targetName.optional().describe('The target it applies to; every target when absent.'),
        dashboard: linkTemplate.optional().describe('URL of the dashboard.'),
        runbook: linkTemplate.optional().describe('URL of the runbook.'),
        alert: linkTemplate.optional().describe('URL of the alert (e.g. Alertmanager filtered on it).'),
      }),
    )
    .default([])
    .describe(
      'Links the status page shows per journey × target ({journey}, {target} filled in); matching entries apply in order, later ones win.',
    ),
});

/** The config file as written (every key optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** The config after defaults, before targets are merged with the built-in ones. */
export type ParsedConfig = z.output<typeof configSchema>;
export type TargetConfig = z.output<typeof targetConfig>;
export type AccountConfig = z.output<typeof accountConfig>;
export type CardBudgetConfig = NonNullable<TargetConfig['cardBudget']>;
export type ScheduleConfig = z.output<typeof scheduleConfig>;
