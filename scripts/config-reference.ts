/**
 * Generates docs/configuration.md from the config schema (every key, type, default,
 * description), a validated example, and the environment variables the code reads.
 *   npm run docs:config            write docs/configuration.md
 *   npm run docs:config -- --check exit 1 if the committed file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { configSchema } from '../src/config/schema.js';
import { BUILT_IN_TARGETS } from '../src/config/targets.js';

const OUTPUT = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));

/** An environment variable the prober reads, as documented. */
export interface EnvVar {
  readonly name: string;
  readonly description: string;
  readonly default?: string;
}

/** Every variable the source reads by name; a unit test fails when the source reads one missing here. */
export const ENV_VARS: readonly EnvVar[] = [
  {
    name: 'PROBER_CONFIG',
    description:
      'The config file, when `--config` is not given. Relative paths inside it are relative to the file.',
    default:
      '`journey-prober.config.yaml` (`.yml`, `.json`) in the working directory, else built-in defaults',
  },
  {
    name: 'PROBER_LISTEN',
    description:
      'HOST:PORT of the HTTP server of `serve` (`/metrics`, `/healthz`, `/readyz`, status page); wins over `listen`.',
    default: '`127.0.0.1:9464`; `0.0.0.0:9464` in the container image',
  },
  {
    name: 'PROBER_BROWSER_PATH',
    description: 'The Chromium executable; wins over `browser.path`. It must exist.',
    default: "Playwright's Chromium if installed, else `/usr/lib/chromium/chromium`, `/usr/bin/chromium`",
  },
  {
    name: 'PLAYWRIGHT_BROWSERS_PATH',
    description:
      "Playwright's own variable: where its downloaded browsers are. `--version` looks there for Playwright's Chromium, as Playwright does.",
    default: '`~/.cache/ms-playwright`',
  },
  {
    name: 'PROBER_JOURNEY_IMPORT_TIMEOUT_MS',
    description:
      'How long importing one journey file may take (its imports and top-level code) before it is reported as a problem, in milliseconds.',
    default: '`15000`',
  },
  {
    name: 'PROBER_ISOLATION',
    description:
      '`worker`: each run of a journey file runs in a worker thread of its own (docs/reliability.md "Journey isolation"): a bug in journey code (a forgotten await, process.exit, an endless loop) ends that run as error/script, never `run` or `serve`. Costs ~0.3-0.5 s of CPU a run; opt-in for now.',
    default: "unset: journeys run in the command's own thread",
  },
  {
    name: 'PROBER_LOG_LEVEL',
    description: 'Log level: `trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`.',
    default:
      '`warn` for `run` and `list`; `info` for `serve`, `demo` and `sandbox` (`warn` for `serve` and `demo` in `text` format: their run lines say the rest)',
  },
  {
    name: 'PROBER_LOG_FORMAT',
    description:
      '`text`: on a terminal, `serve` and `demo` print a banner with their URLs and one line per finished run, logs are one line each; `json`: pino JSON lines; `auto`. `--log-format` wins over it.',
    default: '`auto`: `text` when the log stream is a terminal, else `json`',
  },
  {
    name: 'PROBER_NO_SANDBOX',
    description:
      '`1` runs Chromium with `--no-sandbox`, for containers where user namespaces are unavailable (docs/deploy.md). Always on as root.',
    default: 'unset (sandboxed unless root)',
  },
  {
    name: 'PROBER_SHARD',
    description:
      '`i/N`: `serve` is replica i of N and schedules only the journeys whose account hashes to it (docs/deploy.md "Replicas"); wins over `PROBER_SHARDS`.',
    default: 'unset (one replica runs every schedule)',
  },
  {
    name: 'PROBER_SHARDS',
    description:
      'N replicas of a StatefulSet: this replica is the pod ordinal ending `HOSTNAME` (`journey-prober-2` is 2).',
    default: 'unset',
  },
  {
    name: 'HOSTNAME',
    description: 'Read with `PROBER_SHARDS` only: the pod name a StatefulSet gives, ending in its ordinal.',
    default: 'set by the container runtime',
  },
  {
    name: 'DISPLAY',
    description:
      "Read with `--headed` (or `browser.headless: false`) only: the X display the headed browser opens on. Without it (and without `WAYLAND_DISPLAY`) such a command exits 2 at once with Playwright's advice: run it under `xvfb-run`.",
    default: 'set by the desktop session',
  },
  {
    name: 'WAYLAND_DISPLAY',
    description: 'Read with `--headed` only, as `DISPLAY`: a Wayland session is a display too.',
    default: 'set by the desktop session',
  },
  {
    name: 'NO_COLOR',
    description:
      'A non-empty value turns colour off in terminal output and pretty logs (https://no-color.org).',
    default: 'unset',
  },
  {
    name: 'FORCE_COLOR',
    description: 'Set (and not `0` or `false`): colour on even when not a terminal; wins over `NO_COLOR`.',
    default: 'unset',
  },
];

/** The secret variables the built-in targets read (each may be given as NAME_FILE instead). */
export function builtInSecretVars(): { name: string; target: string; what: string }[] {
  return Object.entries(BUILT_IN_TARGETS).flatMap(([target, config]) => [
    ...(typeof config.accounts === 'object'
      ? Object.values(config.accounts).flatMap((account) => [
          ...(account.emailEnv === undefined
            ? []
            : [{ name: account.emailEnv, target, what: "test account's email" }]),
          { name: account.passwordEnv, target, what: "test account's password" },
        ])
      : []),
    ...(config.card === undefined
      ? []
      : [
          { name: config.card.numberEnv, target, what: 'payment card number' },
          { name: config.card.cvvEnv, target, what: 'payment card security code (CVV)' },
        ]),
  ]);
}

/** A complete config file: shown in the reference and validated by the unit test. */
export const EXAMPLE_CONFIG = `journeysDir: journeys
targets:
  staging:
    latencyBudgetMs:
      purchase: 45000
  eu-staging:
    baseUrl: https://customers.eu.staging.example.com
    allowPurchases: true
    accounts:
      default:
        emailEnv: PROBER_EU_STAGING_EMAIL
        passwordEnv: PROBER_EU_STAGING_PASSWORD
    params:
      country: Germany
schedules:
  - journey: '*'
    target: staging
    cron: '*/5 * * * *'
  - journey: purchase
    target: production
    cron: '*/10 * * * *'
    timezone: Etc/UTC
    runOnStart: true
defaults:
  jitterMs: 30000
concurrency: 2
retries: 1
trace: retain-on-failure
artifacts:
  dir: /data/artifacts
  maxRuns: 500
results:
  path: /data/results/runs.jsonl
browser:
  recycleAfterRuns: 200
shutdownGraceMs: 30000
listen: 127.0.0.1:9464
statusAuth:
  username: oncall
  passwordEnv: PROBER_STATUS_PASSWORD
`;

type JsonSchema = z.core.JSONSchema.JSONSchema;

/** One key of the reference table. */
export interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

const code = (text: string): string => `\`${text}\``;
const cell = (text: string): string => text.replaceAll('|', '\\|');

function typeOf(s: JsonSchema): string {
  if (s.anyOf) return s.anyOf.map((b) => typeOf(b)).join(' or ');
  if (s.const !== undefined) return code(String(s.const));
  if (s.enum) return `one of ${s.enum.map((v) => code(String(v))).join(', ')}`;
  if (s.type === 'integer' || s.type === 'number') {
    const bounds = [
      s.minimum !== undefined
        ? `≥ ${s.minimum}`
        : s.exclusiveMinimum !== undefined
          ? `> ${String(s.exclusiveMinimum)}`
          : '',
      s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? `≤ ${s.maximum}` : '',
    ].filter(Boolean);
    return [s.type, ...bounds].join(' ');
  }
  if (s.type === 'string') return s.format === 'uri' ? 'URL' : 'string';
  if (s.type === 'array') return `list of ${typeOf((s.items ?? {}) as JsonSchema)}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') {
    return `map of ${typeOf(s.additionalProperties)}`;
  }
  return String(s.type ?? 'any');
}

function defaultOf(s: JsonSchema): string {
  if (s.default === undefined) return '';
  if (typeof s.default === 'object' && s.default !== null && Object.keys(s.default).length === 0) return '';
  return code(JSON.stringify(s.default).replace(/^"|"$/g, ''));
}

/** Rows for `s` and everything below it; `key` is its dotted path. */
function rows(s: JsonSchema, key: string): Row[] {
  const here: Row[] =
    key === '' ? [] : [{ key, type: typeOf(s), default: defaultOf(s), description: s.description ?? '' }];
  const below: Row[] = [];
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    below.push(...rows(child as JsonSchema, key === '' ? name : `${key}.${name}`));
  }
  const extra = s.additionalProperties;
  if (extra && typeof extra === 'object' && extra.type === 'object') {
    const names = s.propertyNames as JsonSchema | undefined;
    below.push(...rows(extra, `${key}.<${names?.enum ? 'state' : 'name'}>`));
  }
  if (s.type === 'array' && s.items && (s.items as JsonSchema).type === 'object') {
    below.push(...rows(s.items as JsonSchema, `${key}[]`));
  }
  for (const branch of s.anyOf ?? []) {
    if (branch.type === 'object') below.push(...rows(branch, key).slice(1));
  }
  return [...here, ...below];
}

/** Every documented key, in schema order (map values and list items appear as `<name>`, `[]`). */
export function configRows(): Row[] {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  // The rows for a map's value or a list's item are structure, not keys: their children are.
  return rows(schema, '').filter((r) => !/(>|\[\])$/.test(r.key));
}

/** The whole of docs/configuration.md, formatted as `prettier --check` wants it. */
export async function renderConfigReference(): Promise<string> {
  const options = (await resolveConfig(OUTPUT)) ?? {};
  return format(markdown(), { ...options, parser: 'markdown' });
}

function markdown(): string {
  const table = configRows().map(
    (r) => `| ${code(r.key)} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.description)} |`,
  );
  const secrets = builtInSecretVars().map(
    (v) => `| ${code(v.name)} | the ${v.what} of the \`${v.target}\` target |`,
  );
  const env = ENV_VARS.map((v) => `| ${code(v.name)} | ${cell(v.description)} | ${cell(v.default ?? '')} |`);
  return `<!-- Generated by scripts/config-reference.ts from src/config/schema.ts: run \`npm run docs:config\`. Do not edit. -->
# Configuration reference

journey-prober reads one YAML or JSON file: \`--config FILE\`, else \`PROBER_CONFIG\`, else
\`journey-prober.config.yaml\` in the working directory, else the defaults below. Every key is
optional; unknown keys and bad values are errors, all reported at once. Paths are relative to
the config file. Targets \`sandbox\`, \`staging\` and \`production\` are built in; \`targets\`
adds or overrides them.

Every problem of a file comes in one message (exit 2, no browser started), one \`;\`-separated
entry per problem, each naming its key: the schema's, the ones across keys (a schedule's
unknown target, a target without \`baseUrl\`), and for \`serve\` the later checks too: a
journey not found, a journey × target scheduled twice, what each scheduled target lacks (a
secret not set, a journey parameter missing or out of range) and the status page's password
(\`statusAuth.passwordEnv\` not set). A later check whose input failed is skipped, not
guessed: a malformed \`schedules\` key plans nothing, a target that failed its own checks
has its secrets and parameters left unchecked.

## Keys

| key | type | default | description |
|---|---|---|---|
${table.join('\n')}

## Example

\`\`\`yaml
${EXAMPLE_CONFIG}\`\`\`

## Environment variables

| variable | what it does | default |
|---|---|---|
${env.join('\n')}

### Secrets

Secrets come only from the environment, never from the config file: the config names the
variable (\`emailEnv\`, \`passwordEnv\`, \`card.numberEnv\`), and the variable holds the value. Any secret
variable \`NAME\` may instead be given as \`NAME_FILE\`, the path of a file holding it (one
trailing newline is dropped): how container orchestrators mount secrets. The built-in
targets read:

| variable | holds |
|---|---|
${secrets.join('\n')}

### Card

The card number and CVV a journey types into the payment form are secrets like a password:
\`targets.<name>.card\` names the two variables (\`numberEnv\`, \`cvvEnv\`, each also as
\`NAME_FILE\`); holder and expiry stay plain \`params\` (\`cardHolder\`, \`cardExpiryMonth\`,
\`cardExpiryYear\`). \`cardNumber\` or \`cardCvv\` in \`params\` is a config error naming the key.
The \`sandbox\` target and any target with sandbox accounts that name no card type the
sandbox's accepted test card
(\`4111 1111 1111 1111\`, CVV \`123\`) with nothing to set; \`staging\` and \`production\` read
the variables above. A variable that is unset is a one-line error (exit 2) before any browser
starts, when a selected journey sends a card (\`cardSubmissions\` > 0).

The values are registered as secrets: logs, results, traces and artifacts carry
\`[redacted]\` instead of the number (as typed, bare digits, grouped by four with spaces or
dashes) or the CVV. A CVV is three or four digits, so it is replaced only where it stands as a
whole value (a quoted string, a form or query value, an element's text), never inside a longer
number: a trace stays valid. The last four digits are not secret (the portal itself shows
"Visa ending in 1111"). Screenshots mask the card fields (docs/evidence.md).
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await renderConfigReference();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(OUTPUT, 'utf8');
    } catch {
      /* missing: stale */
    }
    if (committed !== text) {
      process.stderr.write('docs/configuration.md is stale: run `npm run docs:config`\n');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(OUTPUT, text);
    process.stdout.write(`wrote ${OUTPUT}\n`);
  }
}
