import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { SecretRegistry } from '../src/log.js';
import { DEFAULT_TRACE_POLICY, type TracePolicy } from '../src/runner/types.js';
import { startJourneyWorkers } from '../src/scheduler/executor.js';
import { bareCheckoutStart } from './lib/bare-journey.js';
import { ms, times, type BenchContext, type Benchmark } from './lib/bench.js';
import { runTimed } from './lib/children.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.js';
import {
  BENCH_JOURNEYS,
  benchJourneys,
  benchPool,
  journeyNamed,
  sandboxTarget,
  serveLikeLogger,
} from './lib/prober.js';
import type { Row } from './lib/report.js';
import { CLI, REPO, startSandboxProcess } from './lib/sandbox-proc.js';
import {
  compare,
  fromChild,
  inProcess,
  interleave,
  launchBare,
  summaries,
  type Comparison,
  type Contestant,
  type Sample,
} from './lib/sampling.js';
import { mustPass, serveLikeRunner } from './lib/serve-like.js';
import { median, round } from './lib/stats.js';

const ELASTIC_DIR = fileURLToPath(new URL('./.elastic/', import.meta.url));
const ELASTIC_BIN = `${ELASTIC_DIR}node_modules/.bin/elastic-synthetics`;
const POLICIES: readonly TracePolicy[] = ['off', 'on-first-retry', 'retain-on-failure', 'on'];

function ratioRows(label: string, c: Comparison, target?: Pick<Row, 'target' | 'verdict'>): Row[] {
  return [
    {
      metric: `${label} wall time, ratio of medians (paired)`,
      value: `${times(c.wall)} (${times(c.pairedWall)})`,
      ...target,
    },
    { metric: `${label} CPU time (paired)`, value: `${times(c.cpu)} (${times(c.pairedCpu)})` },
  ];
}

async function run(ctx: BenchContext) {
  const rounds = ctx.quick ? 2 : 10;
  const traceRounds = ctx.quick ? 2 : 8;
  const withElastic = existsSync(ELASTIC_BIN);
  const sandbox = await startSandboxProcess();
  const work = mkdtempSync(join(tmpdir(), 'bench-overhead-'));
  const secrets = new SecretRegistry();
  const log = serveLikeLogger(secrets);
  // serve's default: journey workers (reused) on a browser server; `off` (in this thread) on a pipe, as before.
  const pool = benchPool(log, true);
  const threadPool = benchPool(log);
  let closeWorkers: (() => Promise<void>) | undefined;
  let bare: { browser: Browser; pid: number } | undefined;
  try {
    const journey = journeyNamed(await benchJourneys(), 'checkout-start');
    const live = await sandboxTarget(sandbox.portalUrl, secrets, log);
    await Promise.all([pool.launch(), threadPool.launch()]);
    closeWorkers = await startJourneyWorkers(1, log);
    const warm = (bare = await launchBare());
    const configFile = join(work, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        journeysDir: BENCH_JOURNEYS,
        targets: { sandbox: { accounts: 'sandbox-two-factor' } },
      }),
    );
    const runners = new Map(
      POLICIES.map((trace) => [
        trace,
        serveLikeRunner({
          journey,
          live,
          browser: pool,
          log,
          trace,
          artifactsDir: join(work, `artifacts-${trace}`),
          isolation: 'worker',
        }),
      ]),
    );
    const inThread = serveLikeRunner({
      journey,
      live,
      browser: threadPool,
      log,
      trace: DEFAULT_TRACE_POLICY,
      artifactsDir: join(work, 'artifacts-in-thread'),
      isolation: 'off',
    });
    const served = (trace: TracePolicy): Promise<Sample> =>
      inProcess(
        () => pool.pid,
        async () => mustPass(await runners.get(trace)!()),
      );
    const env = { ...process.env, PROBER_BROWSER_PATH: CHROMIUM_PATH, PROBER_LOG_LEVEL: 'warn' };
    const cliArgs = [
      'run',
      'checkout-start',
      '--target',
      'sandbox',
      '--base-url',
      sandbox.portalUrl,
      '--config',
      configFile,
    ];
    const cliRun = async (childEnv: NodeJS.ProcessEnv, what: string): Promise<Sample> =>
      fromChild(
        await runTimed(
          process.execPath,
          [CLI, ...cliArgs, '--json', '--artifacts', join(work, 'artifacts-cli')],
          {
            cwd: REPO,
            env: childEnv,
            timeoutMs: 120_000,
          },
        ),
        what,
      );
    const elasticArgs = [
      'journeys',
      '--params',
      JSON.stringify({ url: sandbox.portalUrl }),
      '--playwright-options',
      JSON.stringify({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }),
      '--screenshots',
      'only-on-failure',
      '--no-throttling',
    ];

    const contestants: Contestant[] = [
      {
        key: 'a',
        label: '(a) bare Playwright, warm browser, fresh context',
        run: () =>
          inProcess(
            () => warm.pid,
            () => bareCheckoutStart(warm.browser, sandbox.portalUrl),
          ),
      },
      {
        key: 'b',
        label: `(b) runJourney as serve runs it (journey worker reused, warm pool, default trace ${DEFAULT_TRACE_POLICY}, artifacts)`,
        run: () => served(DEFAULT_TRACE_POLICY),
      },
      {
        key: 'b0',
        label: '(b0) the same with `isolation: off` (in the scheduling thread, browser on a pipe)',
        run: () =>
          inProcess(
            () => threadPool.pid,
            async () => mustPass(await inThread()),
          ),
      },
      {
        key: 'c',
        label: '(c) `journey-prober run` one-shot process',
        run: () => cliRun(env, 'journey-prober run'),
      },
      {
        key: 'c0',
        label: '(c0) the same with `PROBER_ISOLATION=off` (journeys in the main thread)',
        run: () => cliRun({ ...env, PROBER_ISOLATION: 'off' }, 'journey-prober run (isolation off)'),
      },
      ...(withElastic
        ? [
            {
              key: 'd',
              label: '(d) `elastic-synthetics` one-shot process',
              run: async () =>
                fromChild(
                  await runTimed(ELASTIC_BIN, elasticArgs, { cwd: ELASTIC_DIR, env, timeoutMs: 120_000 }),
                  'elastic-synthetics',
                ),
            },
          ]
        : []),
    ];
    ctx.progress(`overhead: ${rounds} rounds of ${contestants.map((c) => c.key).join(' ')} after a warm-up`);
    const samples = await interleave(contestants, rounds, ctx);
    // Bare Playwright again as the reference: what each policy costs over no prober at all.
    const policies: Contestant[] = [
      { key: 'bare', label: 'bare Playwright (reference)', run: contestants[0]!.run },
      ...POLICIES.map((trace) => ({ key: trace, label: `trace ${trace}`, run: () => served(trace) })),
    ];
    ctx.progress(`trace policy: ${traceRounds} rounds of bare / ${POLICIES.join(' / ')}`);
    const traceSamples = await interleave(policies, traceRounds, ctx);

    const s = (key: string, map = samples): Sample[] => map.get(key)!;
    const med = (list: Sample[], field: 'wallMs' | 'cpuMs'): number => median(list.map((x) => x[field]));
    const ratios = {
      bOverA: compare(s('b'), s('a')),
      b0OverA: compare(s('b0'), s('a')),
      bOverB0: compare(s('b'), s('b0')),
      ...(withElastic ? { cOverD: compare(s('c'), s('d')), c0OverD: compare(s('c0'), s('d')) } : {}),
      cOverC0: compare(s('c'), s('c0')),
      offOverBare: compare(s('off', traceSamples), s('bare', traceSamples)),
      firstRetryOverBare: compare(s('on-first-retry', traceSamples), s('bare', traceSamples)),
      retainOverOff: compare(s('retain-on-failure', traceSamples), s('off', traceSamples)),
      onOverOff: compare(s('on', traceSamples), s('off', traceSamples)),
    };
    const rows: Row[] = [
      ...contestants.map((c) => ({
        metric: `${c.label}: wall / CPU (median)`,
        value: `${ms(med(s(c.key), 'wallMs'))} / ${ms(med(s(c.key), 'cpuMs'))}`,
      })),
      ...ratioRows('(b)/(a)', ratios.bOverA, {
        target: '≤ 1.05',
        verdict: ratios.bOverA.wall <= 1.05 ? 'met' : 'missed',
      }),
      ...ratioRows('(b0)/(a)', ratios.b0OverA),
      ...ratioRows('(b)/(b0): what journey isolation costs a run', ratios.bOverB0),
      ...(ratios.cOverD === undefined
        ? []
        : ratioRows('(c)/(d)', ratios.cOverD, {
            target: '≤ 0.9 (wall and CPU)',
            verdict: ratios.cOverD.wall <= 0.9 && ratios.cOverD.cpu <= 0.9 ? 'met' : 'missed',
          })),
      ...ratioRows('(c)/(c0): what journey isolation costs a one-shot run', ratios.cOverC0),
      ...(ratios.c0OverD === undefined ? [] : ratioRows('(c0)/(d)', ratios.c0OverD)),
      ...policies.map((p) => ({
        metric: `${p.key === 'bare' ? '' : 'runJourney, '}${p.label}: wall / CPU (median)`,
        value: `${ms(med(s(p.key, traceSamples), 'wallMs'))} / ${ms(med(s(p.key, traceSamples), 'cpuMs'))}`,
      })),
      ...ratioRows('runJourney trace off / bare Playwright:', ratios.offOverBare),
      ...ratioRows(
        'runJourney trace on-first-retry (the default) / bare Playwright:',
        ratios.firstRetryOverBare,
        {
          target: '≤ 1.05',
          verdict: ratios.firstRetryOverBare.wall <= 1.05 ? 'met' : 'missed',
        },
      ),
      ...ratioRows('trace retain-on-failure / off:', ratios.retainOverOff),
      ...ratioRows('trace on / off:', ratios.onOverOff),
    ];
    return {
      rows,
      data: {
        rounds,
        traceRounds,
        contestants: Object.fromEntries(contestants.map((c) => [c.key, c.label])),
        summaries: summaries(samples),
        traceSummaries: summaries(traceSamples),
        ratios,
        samples: Object.fromEntries(
          [...samples].map(([k, v]) => [
            k,
            v.map((x) => ({ wallMs: round(x.wallMs), cpuMs: round(x.cpuMs) })),
          ]),
        ),
      },
      notes: [
        'CPU = the driving Node.js process plus every Chromium process (summed over the process tree from /proc); for (c) and (d), the CPU of the whole child tree reaped at exit.',
        'Every contestant gets a fresh sandbox account per run (one HTTP call) and the same Chromium switches; the sandbox runs in a process of its own.',
        "(d) runs with `--screenshots only-on-failure --no-throttling`, the prober's evidence policy (its default takes a screenshot after every step).",
        ...(withElastic
          ? []
          : [
              '(d) skipped: @elastic/synthetics is not installed (`PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix bench/.elastic`).',
            ]),
      ],
    };
  } finally {
    await bare?.browser.close().catch(() => undefined);
    await closeWorkers?.();
    await pool.close();
    await threadPool.close();
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export const overhead: Benchmark = { name: 'overhead', title: 'Overhead per run', run };
