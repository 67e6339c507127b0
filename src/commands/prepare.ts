import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { CardBudget } from '../accounts/card-budget.js';
import { createAccountProvider, checkAccountSecrets } from '../accounts/provider.js';
import { SessionStore } from '../accounts/sessions.js';
import { MissingSecretError, UsageError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { readCard, SANDBOX_TEST_CARD, type CardSecretValues } from '../config/secrets.js';
import type { Target, TargetSpec } from '../config/targets.js';
import {
  checkFile,
  describeSearched,
  distinctSources,
  filesOf,
  formatProblem,
  JOURNEY_FILE,
  loadFile,
  loadJourneys,
  type JourneySource,
} from '../journey/loader.js';
import { paramProblems } from '../journey/define.js';
import { Secret } from '../journey/secret.js';
import type { Journey } from '../journey/types.js';
import { cardSecrets, type SecretRegistry } from '../log.js';
import { BrowserPool, resolveBrowserPath } from '../runner/browser.js';
import type { AccountProvider } from '../runner/types.js';
import type { Sandbox } from '../sandbox/index.js';

/** Whether a journey file could define `name`: its text has the name as a string literal (a refused or unreadable file: maybe). */
async function mayDefine(file: string, name: string): Promise<boolean> {
  if ((await checkFile(file)) !== undefined) return true;
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined || [`'${name}'`, `"${name}"`, `\`${name}\``].some((q) => text.includes(q));
}

/**
 * The file that holds journey `name` by the naming convention (`NAME.journey.ts`): the first
 * directory's that has one, unless a file loaded before it (an earlier directory, or earlier in
 * name order) mentions the name and so could define it first. undefined: not known this way.
 */
async function conventionalFile(
  sources: readonly JourneySource[],
  name: string,
): Promise<string | undefined> {
  for (const source of await distinctSources(sources)) {
    const files = await filesOf(source);
    if (files === 'absent') continue;
    if (!Array.isArray(files)) return undefined;
    const own = files.findIndex((f) => f.replace(JOURNEY_FILE, '') === name);
    for (const other of own < 0 ? files : files.slice(0, own)) {
      if (await mayDefine(join(source.dir, other), name)) return undefined;
    }
    if (own >= 0) return join(source.dir, files[own]!);
  }
  return undefined;
}

/**
 * `run NAME…` importing only the named journeys' files, when the naming convention finds them
 * all and each defines the journey its file is named after; undefined: load every file instead
 * (a journey named otherwise, or one that may be defined twice). A broken named file is the
 * same one-line error as from loading everything.
 */
async function loadNamed(
  sources: readonly JourneySource[],
  names: readonly string[],
): Promise<Journey[] | undefined> {
  const files: string[] = [];
  for (const name of names) {
    const file = await conventionalFile(sources, name);
    if (file === undefined) return undefined;
    files.push(file);
  }
  const selected: Journey[] = [];
  for (const [i, file] of files.entries()) {
    const loaded = await loadFile(file);
    if ('problem' in loaded) throw new UsageError(formatProblem(loaded.problem));
    if (loaded.journey.name !== names[i]) return undefined;
    selected.push(loaded.journey);
  }
  return selected;
}

/**
 * The journeys a command runs. Named ones are imported alone when their files follow the
 * naming convention (other files, broken or not, are not even read as code); otherwise, and
 * for `--all`, every file is loaded, and problems in files other than the chosen ones are
 * warnings.
 */
export async function loadAndSelect(
  config: LoadedConfig,
  names: readonly string[],
  all: boolean,
  warn: (line: string) => void,
): Promise<{ selected: Journey[] }> {
  if (!all && names.length === 0) throw new UsageError('name at least one journey, or pass --all');
  if (all && names.length > 0)
    throw new UsageError(`name journeys or pass --all, not both (got ${names.join(', ')})`);
  const named = all ? undefined : await loadNamed(config.journeySources, names);
  if (named !== undefined) return { selected: named };
  const loaded = await loadJourneys(config.journeySources);
  const selected: Journey[] = [];
  for (const name of all ? [...loaded.journeys.keys()] : names) {
    const journey = loaded.journeys.get(name);
    if (journey !== undefined) {
      selected.push(journey);
      continue;
    }
    const broken = loaded.problems.find((p) => p.file.includes(`${name}.journey.`));
    if (broken !== undefined) throw new UsageError(formatProblem(broken));
    const known = [...loaded.journeys.keys()];
    throw new UsageError(
      `unknown journey "${name}" (known: ${known.length > 0 ? known.join(', ') : 'none'}; ${describeSearched(loaded)})`,
    );
  }
  if (selected.length === 0) throw new UsageError(`no journeys found (${describeSearched(loaded)})`);
  for (const problem of loaded.problems) {
    if (!selected.some((j) => j.file === problem.file)) warn(`warning: ${formatProblem(problem)}`);
  }
  return { selected };
}

/**
 * Checks, before any browser starts, that every secret the runs need is set and that the
 * target has every parameter the journeys declare (all of them at once).
 */
export function checkSecrets(spec: TargetSpec, journeys: readonly Journey[], env: NodeJS.ProcessEnv): void {
  checkAccountSecrets({ ...spec, baseUrl: spec.baseUrl ?? '' }, journeys, env);
  if (spec.cardSource?.kind === 'env' && journeys.some((j) => j.cardSubmissions > 0)) {
    readCard(spec.cardSource.env, env);
  }
  const problems = journeys.flatMap((journey) => paramProblems(journey, spec));
  if (problems.length > 0) throw new UsageError(problems.join('; '));
}

/**
 * A headed browser needs a display: without one Chromium exits at once (Playwright's hint:
 * "use xvfb-run"), so it is a usage error, found before any browser starts.
 */
export function checkDisplay(
  headless: boolean,
  asked: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): void {
  if (headless || platform !== 'linux' || env.DISPLAY || env.WAYLAND_DISPLAY) return;
  throw new UsageError(
    `${asked} needs a display and neither DISPLAY nor WAYLAND_DISPLAY is set: run it under xvfb-run (xvfb-run journey-prober …), or headless`,
  );
}

/**
 * The target's card, read now and registered as secrets (logs are scrubbed of it); undefined
 * when it names none or its variables are unset (a journey that pays then fails on it).
 */
function targetCard(
  spec: TargetSpec,
  env: NodeJS.ProcessEnv,
  secrets: SecretRegistry,
): CardSecretValues | undefined {
  let card: CardSecretValues | undefined;
  try {
    card =
      spec.cardSource?.kind === 'env'
        ? readCard(spec.cardSource.env, env)
        : spec.cardSource && SANDBOX_TEST_CARD;
  } catch (error) {
    if (error instanceof MissingSecretError) return undefined;
    throw error;
  }
  for (const value of card ? cardSecrets(card) : []) secrets.add(value);
  return card;
}

/** A target that is ready: its sandbox started when it needs one. */
export interface LiveTarget {
  readonly target: Target;
  readonly accounts: AccountProvider;
  readonly sandbox?: Sandbox;
  /** The card forms sent per account: the scheduler's `payment_budget` check reads it. */
  readonly cardBudget: CardBudget;
  close(): Promise<void>;
}

/** What the runs on a target share: kept sessions (none kept unless given) and the card record. */
export interface AccountSharing {
  readonly sessions?: SessionStore;
  readonly cardBudget?: CardBudget;
}

/** Starts an in-process sandbox on free ports when the target is the sandbox without a URL. */
export async function bringUp(
  spec: TargetSpec,
  secrets: SecretRegistry,
  log: Logger,
  env: NodeJS.ProcessEnv,
  sandboxOptions: { provisioningDelayMs?: number } = {},
  sharing: AccountSharing = {},
): Promise<LiveTarget> {
  let sandbox: Sandbox | undefined;
  if (spec.baseUrl === undefined) {
    if (spec.accountSource.kind !== 'sandbox') throw new UsageError(`target "${spec.name}" has no baseUrl`);
    // Imported only when started: a target with a URL never pays for the sandbox's modules.
    const { startSandbox } = await import('../sandbox/index.js');
    sandbox = await startSandbox({ ...sandboxOptions, log: log.child({ component: 'sandbox' }) });
    log.info({ portal: sandbox.portalUrl, payment: sandbox.paymentUrl }, 'in-process sandbox started');
  }
  const card = targetCard(spec, env, secrets);
  const target: Target = {
    ...spec,
    ...(card === undefined ? {} : { card: { number: new Secret(card.number), cvv: new Secret(card.cvv) } }),
    baseUrl: spec.baseUrl ?? sandbox?.portalUrl ?? '',
    ...(spec.gitlabUrl === undefined && sandbox !== undefined ? { gitlabUrl: gitlabUrlOf(sandbox) } : {}),
  };
  const cardBudget = sharing.cardBudget ?? new CardBudget();
  const sessions = sharing.sessions ?? SessionStore.none();
  return {
    target,
    accounts: createAccountProvider(target, secrets, env, { sessions, cardBudget }),
    cardBudget,
    ...(sandbox === undefined ? {} : { sandbox }),
    close: async () => sandbox?.close(),
  };
}

/** The sandbox's GitLab.com origin (a sandbox without one signs in on its portal's origin). */
function gitlabUrlOf(sandbox: Sandbox): string {
  const url = (sandbox as { readonly gitlabUrl?: unknown }).gitlabUrl;
  return typeof url === 'string' ? url : sandbox.portalUrl;
}

export interface BrowserSettings {
  readonly path?: string;
  readonly headless: boolean;
  readonly slowMo?: number;
  readonly recycleAfterRuns?: number;
  readonly args?: readonly string[];
  /** false: the command owns SIGINT/SIGTERM (serve's grace period), Playwright does not close the browser on them. */
  readonly handleSignals?: boolean;
  /** Journey workers connect to it (isolation `worker`): a browser server; else a pipe. */
  readonly server?: boolean;
}

/** The browser pool of this process; the path resolved now, so a missing browser fails before any run. */
export function createBrowserPool(
  settings: BrowserSettings,
  env: NodeJS.ProcessEnv,
  log: Logger,
): BrowserPool {
  const resolved =
    settings.path !== undefined && env.PROBER_BROWSER_PATH === undefined
      ? resolveBrowserPath({ ...env, PROBER_BROWSER_PATH: settings.path })
      : resolveBrowserPath(env);
  log.debug({ browser: resolved.path, source: resolved.source }, 'browser resolved');
  return new BrowserPool({
    executablePath: resolved.path,
    headless: settings.headless,
    log: log.child({ component: 'browser' }),
    ...(settings.slowMo === undefined ? {} : { slowMo: settings.slowMo }),
    ...(settings.recycleAfterRuns === undefined ? {} : { recycleAfterRuns: settings.recycleAfterRuns }),
    ...(settings.args === undefined ? {} : { extraArgs: settings.args }),
    ...(settings.handleSignals === undefined ? {} : { handleSignals: settings.handleSignals }),
    server: settings.server === true,
  });
}
