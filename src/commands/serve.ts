import { cardBudgetAllows } from '../accounts/card-budget.js';
import { SessionStore } from '../accounts/sessions.js';
import { UsageError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { targetSpecs } from '../config/targets.js';
import { describeSearched, formatProblem, loadJourneys } from '../journey/loader.js';
import type { Journey } from '../journey/types.js';
import { seriesKey } from '../journey/outcomes.js';
import { createExemplarRegistry, createMetrics } from '../metrics/catalogue.js';
import { metricsSink, restoreGauges, schedulerMetrics, seedSeries } from '../metrics/record.js';
import { registerDefaultMetrics, setBuildInfo } from '../metrics/runtime.js';
import { openResults, resultsSink } from '../results/results.js';
import { armCron, type CronDriver } from '../scheduler/cron.js';
import {
  createExecutor,
  isolationOf,
  startJourneyWorkers,
  latencyBudgetOf,
  stepLogSink,
} from '../scheduler/executor.js';
import { checkSchedules } from '../scheduler/plan.js';
import { shardFromEnv, shardLabel } from '../scheduler/shard.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ScheduleEntry } from '../scheduler/types.js';
import { createRetention, sweepLogged } from '../artifacts/retention.js';
import { statusAuth } from '../server/auth.js';
import { coreRoutes, createApp, resolveListen, startHttpServer, type Readiness } from '../server/http.js';
import { Teardown } from '../server/teardown.js';
import { STATUS_PATHS, statusRoutes } from '../status/routes.js';
import { linksFor, scheduleInfos } from '../status/series.js';
import { SinkList } from '../sinks/sink.js';
import { statusSink } from '../sinks/status.js';
import { terminalReporter, type Banner } from '../sinks/stdout.js';
import { bringUp, checkDisplay, createBrowserPool, type LiveTarget } from './prepare.js';
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
  /** The banner of a terminal (`text` log format); default: serve's own. */
  readonly banner?: (ready: ServeReady) => Banner;
}

/** serve's banner: where its pages are. */
export function serveBanner(ready: ServeReady): Banner {
  return {
    title: `journey-prober serve: ${ready.schedules.length} schedule${ready.schedules.length === 1 ? '' : 's'} armed (Ctrl-C stops it)`,
    links: [
      ...(ready.routes.includes('/') ? [['status page', `${ready.url}/`] as const] : []),
      ['metrics', `${ready.url}/metrics`],
    ],
  };
}

async function journeysOf(config: LoadedConfig): Promise<ReadonlyMap<string, Journey>> {
  const loaded = await loadJourneys(config.journeySources);
  const [first, ...more] = loaded.problems;
  // A long-running prober fails at start on a broken journey rather than silently not probing it.
  if (first !== undefined)
    throw new UsageError(`${formatProblem(first)}${more.length > 0 ? ` (and ${more.length} more)` : ''}`);
  if (loaded.journeys.size === 0) throw new UsageError(`no journeys found (${describeSearched(loaded)})`);
  return loaded.journeys;
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
  const shard = shardFromEnv(io.env);
  // Every problem of the schedules and of what their targets lack, at once, before any browser.
  const entries = checkSchedules(config, journeys, specs, io.env, shard);
  const targetNames = [...new Set(entries.map((e) => e.target))];
  checkDisplay(config.browser.headless, 'browser.headless: false', io.env);
  const isolation = isolationOf(config.isolation, io.env);
  const browser = createBrowserPool(
    { ...config.browser, handleSignals: false, server: isolation === 'worker' },
    io.env,
    log,
  );
  const terminal = io.logFormat === 'text' ? terminalReporter(io.stdout) : undefined;
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
    metrics.shardInfo.set({ shard: String(shard?.index ?? 0), shards: String(shard?.count ?? 1) }, 1);
    browser.onRestart(() => metrics.browserRestarts.inc());
    for (const e of entries) {
      const budget = latencyBudgetOf(e.journey, specs.get(e.target) ?? { latencyBudgetMs: {} });
      seedSeries(metrics, {
        journey: e.journey.name,
        target: e.target,
        schedule: scheduleLabel(e),
        ...(e.journey.steps ? { steps: e.journey.steps } : {}),
        ...(budget === undefined ? {} : { latencyBudgetMs: budget }),
      });
      // The one latency budget: what makes a run degraded is what the latency alert reads.
      const budgetMs = specs.get(e.target)?.latencyBudgetMs[e.journey.name] ?? e.journey.latencyBudgetMs;
      if (budgetMs !== undefined)
        metrics.latencyBudget.set({ journey: e.journey.name, target: e.target }, budgetMs / 1000);
    }
    // Gauges from history: success from the newest run that counts for the SLI, last success from the newest passed one.
    const scheduled = new Set(entries.map((e) => e.id));
    restoreGauges(
      metrics,
      results.recent({ limit: Number.MAX_SAFE_INTEGER }).filter((r) => scheduled.has(seriesKey(r))),
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
      if (state === 'ready' && broken === undefined)
        return shard === undefined ? { ready: true } : { ready: true, detail: `shard ${shardLabel(shard)}` };
      if (state === 'ready') return { ready: false, reason: `the browser would not launch: ${broken}` };
      return {
        ready: false,
        reason: state === 'starting' ? 'browser not launched or schedules not armed yet' : 'shutting down',
      };
    };
    const retention = createRetention(config.artifacts, log);
    await sweepLogged(retention, log);
    // The status pages show the scheduler's own state once it runs: its cron's next ticks, its runs in progress.
    const scheduling: { cron?: CronDriver; scheduler?: Scheduler } = {};
    const app = createApp(log.child({ component: 'http' }));
    const auth = statusAuth(config, io.env, io.secrets);
    // DESIGN: basic auth covers /metrics too, unless configured open (statusAuth.openMetrics).
    app.route(
      '/',
      coreRoutes(registry, readiness, config.statusAuth?.openMetrics === true ? undefined : auth),
    );
    app.route(
      '/',
      statusRoutes({
        runs: results,
        artifactsDir: config.artifacts.dir,
        now: () => Date.now(),
        schedules: scheduleInfos(entries, {
          nextRun: (id) => scheduling.cron?.nextRun(id),
          isBusy: (id) => scheduling.scheduler?.isBusy(id) ?? false,
        }),
        links: linksFor(config.statusLinks),
        ...(shard === undefined ? {} : { shard }),
        auth,
      }),
    );
    const http = await startHttpServer(listen, app, log.child({ component: 'http' }));
    teardown.add('http server', () => http.close());
    log.info({ url: http.url }, 'listening');

    await browser.launch();
    setBuildInfo(metrics, browser.version);
    // The first run's worker loads while the schedules start.
    if (isolation === 'worker') {
      const files = new Set(entries.map((e) => e.journey.file)).size;
      teardown.add('journey workers', await startJourneyWorkers(Math.max(config.concurrency, files), log));
    }

    const sinks = new SinkList(
      [
        // A person at a terminal gets a line per run; a log collector gets every step.
        terminal === undefined ? stepLogSink(log) : terminal.sink,
        metricsSink(metrics),
        resultsSink(results, { log, writeFailures: metrics.resultsWriteFailures }),
        statusSink(retention, log),
      ],
      log,
    );
    const scheduler = new Scheduler({
      entries,
      concurrency: config.concurrency,
      events: schedulerMetrics(metrics),
      log: log.child({ component: 'scheduler' }),
      cardBudget: (e) => cardBudgetAllows(live.get(e.target), e),
      execute: createExecutor({
        targets: live,
        settings: {
          browser,
          retries: config.retries,
          trace: config.trace,
          artifactsDir: config.artifacts.dir,
          log,
          isolation,
        },
        sinks,
      }),
    });
    scheduling.scheduler = scheduler;
    // SIGTERM while starting: every tick and run-on-start from here on is a `shutdown` skip.
    if (io.signal.aborted) scheduler.stop();
    const cron = await armCron(
      entries,
      (id, slot) => scheduler.tick(id, slot),
      log.child({ component: 'cron' }),
    );
    scheduling.cron = cron;
    teardown.add('cron', () => cron.stop());
    for (const e of entries) if (e.runOnStart) scheduler.runNow(e.id);
    state = 'ready';
    log.info(
      { schedules: entries.map((e) => ({ journey: e.journey.name, target: e.target, cron: e.cron })) },
      'schedules armed',
    );
    const ready: ServeReady = {
      url: http.url,
      routes: ['/metrics', '/healthz', '/readyz', ...STATUS_PATHS],
      targets: live,
      schedules: entries,
    };
    terminal?.announce((options.banner ?? serveBanner)(ready));
    options.onReady?.(ready);

    await untilAborted(io.signal);
    state = 'stopping';
    log.info({ graceMs: config.shutdownGraceMs, running: scheduler.running }, 'shutting down');
    terminal?.note(
      `stopping: ${scheduler.running} run(s) in progress get up to ${Math.round(config.shutdownGraceMs / 1000)} s`,
    );
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
