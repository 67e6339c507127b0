import { cardBudgetAllows } from '../accounts/card-budget.js';
import { SessionStore } from '../accounts/sessions.js';
import { UsageError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { targetSpecs } from '../config/targets.js';
import { formatProblem, loadJourneys } from '../journey/loader.js';
import type { Journey } from '../journey/types.js';
import { setBuildInfo } from '../metrics/build-info.js';
import { createExemplarRegistry, createMetrics, type ProberMetrics } from '../metrics/catalogue.js';
import { registerDefaultMetrics } from '../metrics/defaults.js';
import { recordRun } from '../metrics/record.js';
import { restoreGauges, seedSeries } from '../metrics/seed.js';
import { openResults } from '../results/results.js';
import { armCron } from '../scheduler/cron.js';
import { createExecutor } from '../scheduler/executor.js';
import { planSchedules } from '../scheduler/plan.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ScheduleEntry, SchedulerEvents } from '../scheduler/types.js';
import { coreRoutes, type Readiness } from '../server/core-routes.js';
import { startHttpServer } from '../server/http.js';
import { resolveListen } from '../server/listen.js';
import { Teardown } from '../server/teardown.js';
import { setUpStatus, sweepLogged } from '../status/serve-wiring.js';
import type { Route } from '../server/router.js';
import { bringUp, checkSecrets, createBrowserPool, type LiveTarget } from './prepare.js';
import type { CommandIO } from './run.js';

/** What a started serve tells its caller (demo prints it). */
export interface ServeReady {
  /** `http://host:port` of /metrics, /healthz, /readyz. */
  readonly url: string;
  /** Paths served besides the core ones (the status page once it is wired). */
  readonly routes: readonly string[];
  readonly targets: ReadonlyMap<string, LiveTarget>;
  readonly schedules: readonly ScheduleEntry[];
}

export interface ServeOptions {
  readonly onReady?: (ready: ServeReady) => void;
}

async function journeysOf(config: LoadedConfig): Promise<ReadonlyMap<string, Journey>> {
  const loaded = await loadJourneys(config.journeysDir);
  const [first, ...more] = loaded.problems;
  // A long-running prober fails at start on a broken journey rather than silently not probing it.
  if (first !== undefined)
    throw new UsageError(`${formatProblem(first)}${more.length > 0 ? ` (and ${more.length} more)` : ''}`);
  if (loaded.journeys.size === 0) throw new UsageError(`no journeys found in ${config.journeysDir}`);
  return loaded.journeys;
}

function metricEvents(metrics: ProberMetrics): SchedulerEvents {
  const jt = (e: ScheduleEntry) => ({ journey: e.journey.name, target: e.target });
  return {
    skipped: (entry, reason) => metrics.skipped.inc({ ...jt(entry), reason }),
    started: (entry, run) => metrics.scheduleDelay.observe(jt(entry), run.delaySeconds),
  };
}

/** The `schedule` label: the cron expression, and its time zone when one is set. */
export function scheduleLabel(entry: Pick<ScheduleEntry, 'cron' | 'timezone'>): string {
  return entry.timezone === undefined ? entry.cron : `${entry.cron} (${entry.timezone})`;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * `journey-prober serve`: every journey on its cron schedule against its targets, until
 * SIGTERM/SIGINT; `/metrics`, `/healthz`, `/readyz` over HTTP; every run in the results
 * log. Shutdown: no new runs, running ones get `shutdownGraceMs`, then are aborted; the
 * browser, server and log are closed; resolves 0.
 */
export async function serveCommand(
  config: LoadedConfig,
  io: CommandIO,
  options: ServeOptions = {},
): Promise<number> {
  const log = io.log;
  const listen = resolveListen(io.env, config.listen);
  const journeys = await journeysOf(config);
  const specs = targetSpecs(config);
  const entries = planSchedules(config, journeys, specs);
  const targetNames = [...new Set(entries.map((e) => e.target))];
  for (const name of targetNames) {
    const spec = specs.get(name);
    if (spec !== undefined)
      checkSecrets(
        spec,
        entries.filter((e) => e.target === name).map((e) => e.journey),
        io.env,
      );
  }
  const browser = createBrowserPool({ ...config.browser, handleSignals: false }, io.env, log);
  const teardown = new Teardown(log);
  teardown.add('browser', () => browser.close());
  let state: 'starting' | 'ready' | 'stopping' = 'starting';
  try {
    const results = await openResults(config.results);
    teardown.add('results log', () => results.close());
    if (results.dropped > 0)
      log.warn(
        { file: config.results.path, dropped: results.dropped },
        'skipped unreadable lines of the results log',
      );
    log.info({ file: config.results.path, restored: results.restored }, 'run history read back');

    const registry = createExemplarRegistry();
    registerDefaultMetrics(registry);
    const metrics = createMetrics(registry, { exemplars: true });
    setBuildInfo(metrics, undefined);
    browser.onRestart(() => metrics.browserRestarts.inc());
    for (const e of entries) {
      seedSeries(metrics, {
        journey: e.journey.name,
        target: e.target,
        schedule: scheduleLabel(e),
        ...(e.journey.steps ? { steps: e.journey.steps } : {}),
      });
    }
    const scheduled = new Set(entries.map((e) => e.id));
    restoreGauges(
      metrics,
      results.latestPerSeries().filter((r) => scheduled.has(`${r.journey}@${r.target}`)),
    );

    const live = new Map<string, LiveTarget>();
    // One session per account for the life of serve: an account signs in once, not every run.
    const sessions = SessionStore.inMemory(io.secrets);
    for (const name of targetNames) {
      const spec = specs.get(name);
      if (spec === undefined) continue;
      const up = await bringUp(spec, io.secrets, log, io.env, {}, { sessions });
      live.set(name, up);
      teardown.add(`target ${name}`, () => up.close());
    }

    const readiness: Readiness = () => {
      // A browser that no longer launches (after a crash) makes every run an error: not ready.
      const broken = browser.launchError;
      if (state === 'ready' && broken === undefined) return { ready: true };
      if (state === 'ready') return { ready: false, reason: `the browser would not launch: ${broken}` };
      return {
        ready: false,
        reason: state === 'starting' ? 'browser not launched or schedules not armed yet' : 'shutting down',
      };
    };
    const routes: Route[] = [...coreRoutes(registry, readiness)];
    // The status page, /journeys, /runs, /api/runs and /artifacts: a fallback after the table.
    const status = await setUpStatus(config, results, entries, io);
    const http = await startHttpServer(listen, routes, log.child({ component: 'http' }), [status.handler]);
    teardown.add('http server', () => http.close());
    log.info({ url: http.url }, 'listening');

    await browser.launch();
    setBuildInfo(metrics, browser.version);

    const scheduler = new Scheduler({
      entries,
      concurrency: config.concurrency,
      events: metricEvents(metrics),
      log: log.child({ component: 'scheduler' }),
      cardBudget: (e) => cardBudgetAllows(live.get(e.target), e),
      execute: createExecutor({
        browser,
        targets: live,
        retries: config.retries,
        trace: config.trace,
        artifactsDir: config.artifacts.dir,
        log,
        onStart: (e) => metrics.inProgress.inc({ journey: e.journey.name, target: e.target }),
        onEnd: (e) => metrics.inProgress.dec({ journey: e.journey.name, target: e.target }),
        onResult: async (result) => {
          recordRun(metrics, result);
          await results
            .add(result)
            .catch((error: unknown) =>
              log.error({ err: error, runId: result.runId }, 'run not saved to the results log'),
            );
          await sweepLogged(status.retention, log);
        },
      }),
    });
    // SIGTERM while starting: every tick and run-on-start from here on is a `shutdown` skip.
    if (io.signal.aborted) scheduler.stop();
    const cron = await armCron(
      entries,
      (id, slot) => scheduler.tick(id, slot),
      log.child({ component: 'cron' }),
    );
    teardown.add('cron', () => cron.stop());
    for (const e of entries) if (e.runOnStart) scheduler.runNow(e.id);
    state = 'ready';
    log.info(
      { schedules: entries.map((e) => ({ journey: e.journey.name, target: e.target, cron: e.cron })) },
      'schedules armed',
    );
    options.onReady?.({
      url: http.url,
      routes: [...routes.map((r) => r.path), ...status.paths],
      targets: live,
      schedules: entries,
    });

    await untilAborted(io.signal);
    state = 'stopping';
    log.info({ graceMs: config.shutdownGraceMs, running: scheduler.running }, 'shutting down');
    // Cron stays armed while runs wind up: ticks meanwhile count as `shutdown` skips.
    const report = await scheduler.drain(config.shutdownGraceMs);
    await cron.stop();
    log.info(report, 'runs wound up');
    return 0;
  } finally {
    state = 'stopping';
    await teardown.run();
    await new Promise<void>((resolve) => log.flush(() => resolve()));
  }
}
