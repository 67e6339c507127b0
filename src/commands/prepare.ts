import { isolationOf } from '../scheduler/executor.js';
import type { Logger } from 'pino';
import { CardBudget } from '../accounts/card-budget.js';
import { createAccountProvider, checkAccountSecrets } from '../accounts/provider.js';
import { SessionStore } from '../accounts/sessions.js';
import { UsageError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import type { Target, TargetSpec } from '../config/targets.js';
import { describeSearched, formatProblem, loadJourneys, type LoadedJourneys } from '../journey/loader.js';
import type { Journey } from '../journey/types.js';
import type { SecretRegistry } from '../log.js';
import { BrowserPool, resolveBrowserPath } from '../runner/browser.js';
import type { AccountProvider } from '../runner/types.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';

/** Loads the journeys; problems in files other than the chosen ones are warnings. */
export async function loadAndSelect(
  config: LoadedConfig,
  names: readonly string[],
  all: boolean,
  warn: (line: string) => void,
): Promise<{ loaded: LoadedJourneys; selected: Journey[] }> {
  const loaded = await loadJourneys(config.journeySources);
  if (!all && names.length === 0) throw new UsageError('name at least one journey, or pass --all');
  if (all && names.length > 0)
    throw new UsageError(`name journeys or pass --all, not both (got ${names.join(', ')})`);
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
  return { loaded, selected };
}

/** Checks, before any browser starts, that every secret the runs need is set. */
export function checkSecrets(spec: TargetSpec, journeys: readonly Journey[], env: NodeJS.ProcessEnv): void {
  checkAccountSecrets({ ...spec, baseUrl: spec.baseUrl ?? '' }, journeys, env);
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
    sandbox = await startSandbox({ ...sandboxOptions, log: log.child({ component: 'sandbox' }) });
    log.info({ portal: sandbox.portalUrl, payment: sandbox.paymentUrl }, 'in-process sandbox started');
  }
  const target: Target = {
    ...spec,
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
    server: isolationOf(env) === 'worker',
  });
}
