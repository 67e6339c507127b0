import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { SecretRegistry } from '../src/log.js';
import { bareCheckoutStart } from './lib/bare-journey.js';
import { ms, rotate, times, type BenchContext, type Benchmark } from './lib/bench.js';
import { runTimed, type TimedExit } from './lib/children.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.js';
import { pidsWithArg, topmost, treeCpuMs } from './lib/procfs.js';
import {
  BENCH_JOURNEYS,
  benchJourneys,
  benchPool,
  journeyNamed,
  sandboxTarget,
  serveLikeLogger,
} from './lib/prober.js';
import { mustPass, serveLikeRunner, type ServeLikeRun } from './lib/serve-like.js';
import type { Row } from './lib/report.js';
import { CLI, REPO, startSandboxProcess } from './lib/sandbox-proc.js';
import { median, medianRatio, round, summarize, type Summary } from './lib/stats.js';

const ELASTIC_DIR = fileURLToPath(new URL('./.elastic/', import.meta.url));
const ELASTIC_BIN = `${ELASTIC_DIR}node_modules/.bin/elastic-synthetics`;

/** One measured run: wall time, and CPU split into the driving process and Chromium. */
interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly driverCpuMs?: number;
  readonly browserCpuMs?: number;
}

type Contestant = { readonly key: string; readonly label: string; run(): Promise<Sample> };

function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Times an in-process run: this process's CPU plus the CPU of its Chromium's process tree. */
async function inProcess(
  browserPid: () => number | undefined,
  body: () => Promise<unknown>,
): Promise<Sample> {
  const pid = browserPid();
  if (pid === undefined) throw new Error('no Chromium process to measure');
  const cpu0 = processCpuMs();
  const browser0 = treeCpuMs(pid);
  const t0 = performance.now();
  await body();
  const wallMs = performance.now() - t0;
  const driverCpuMs = processCpuMs() - cpu0;
  const browserCpuMs = treeCpuMs(pid) - browser0;
  return { wallMs, cpuMs: driverCpuMs + browserCpuMs, driverCpuMs, browserCpuMs };
}

function fromChild(exit: TimedExit, what: string): Sample {
  if (exit.code !== 0) {
    throw new Error(
      `${what} exited ${exit.code}: ${(exit.stderr || exit.stdout).trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
  return { wallMs: exit.wallMs, cpuMs: Math.max(exit.cpuMs, exit.cpuMsPolled) };
}

/** A warm bare Chromium with a marker switch, so its process tree can be found in /proc. */
async function launchBare(): Promise<{ browser: Browser; pid: number }> {
  const marker = `--bench-bare-browser=${randomUUID()}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, marker] });
  const pid = topmost(pidsWithArg(marker));
  if (pid === undefined) throw new Error('bare Chromium: process not found');
  return { browser, pid };
}

function summaries(samples: Map<string, Sample[]>): Record<string, Record<string, Summary>> {
  const out: Record<string, Record<string, Summary>> = {};
  for (const [key, list] of samples) {
    const fields: Record<string, Summary> = {
      wallMs: summarize(list.map((s) => s.wallMs)),
      cpuMs: summarize(list.map((s) => s.cpuMs)),
    };
    if (list[0]?.driverCpuMs !== undefined) fields.driverCpuMs = summarize(list.map((s) => s.driverCpuMs!));
    if (list[0]?.browserCpuMs !== undefined)
      fields.browserCpuMs = summarize(list.map((s) => s.browserCpuMs!));
    out[key] = fields;
  }
  return out;
}

/** Rounds of interleaved contestants after one warm-up round; each sample list by key. */
async function interleave(
  contestants: readonly Contestant[],
  rounds: number,
  ctx: BenchContext,
): Promise<Map<string, Sample[]>> {
  const samples = new Map(contestants.map((c) => [c.key, [] as Sample[]]));
  for (let round = -1; round < rounds; round++) {
    for (const c of rotate(contestants, round + 1)) {
      const sample = await c.run();
      if (round >= 0) samples.get(c.key)!.push(sample);
    }
    ctx.progress(
      `${round < 0 ? 'warm-up' : `round ${round + 1}/${rounds}`}: ` +
        contestants.map((c) => `${c.key} ${Math.round(samples.get(c.key)!.at(-1)?.wallMs ?? 0)}`).join(', '),
    );
  }
  return samples;
}

/** Median of per-round ratios a_i / b_i: robust to a noisy round that slowed both. */
function pairedRatio(a: readonly Sample[], b: readonly Sample[], field: 'wallMs' | 'cpuMs'): number {
  return median(a.map((s, i) => s[field] / b[i]![field]));
}

async function run(ctx: BenchContext) {
  const rounds = ctx.quick ? 2 : 10;
  const traceRounds = ctx.quick ? 2 : 8;
  const sandbox = await startSandboxProcess();
  const work = mkdtempSync(join(tmpdir(), 'bench-overhead-'));
  const secrets = new SecretRegistry();
  const log = serveLikeLogger(secrets);
  const pool = benchPool(log);
  let bare: { browser: Browser; pid: number } | undefined;
  try {
    const journey = journeyNamed(await benchJourneys(), 'checkout-start');
    const live = await sandboxTarget(sandbox.portalUrl, secrets, log);
    await pool.launch();
    bare = await launchBare();
    const bareBrowser = bare;
    const configFile = join(work, 'config.json');
    writeFileSync(configFile, JSON.stringify({ journeysDir: BENCH_JOURNEYS }));
    const serveRun = (trace: 'off' | 'retain-on-failure' | 'on'): ServeLikeRun =>
      serveLikeRunner({
        journey,
        live,
        browser: pool,
        log,
        trace,
        artifactsDir: join(work, `artifacts-${trace}`),
      });
    const retain = serveRun('retain-on-failure');
    const env = { ...process.env, PROBER_BROWSER_PATH: CHROMIUM_PATH, PROBER_LOG_LEVEL: 'warn' };
    const elasticOptions = JSON.stringify({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

    const contestants: Contestant[] = [
      {
        key: 'a',
        label: '(a) bare Playwright, warm browser, fresh context',
        run: () =>
          inProcess(
            () => bareBrowser.pid,
            () => bareCheckoutStart(bareBrowser.browser, sandbox.portalUrl),
          ),
      },
      {
        key: 'b',
        label: '(b) runJourney as serve runs it (warm pool, retain-on-failure, artifacts)',
        run: () =>
          inProcess(
            () => pool.pid,
            async () => mustPass(await retain()),
          ),
      },
      {
        key: 'c',
        label: '(c) `journey-prober run` one-shot process',
        run: async () =>
          fromChild(
            await runTimed(
              process.execPath,
              [
                CLI,
                'run',
                'checkout-start',
                '--target',
                'sandbox',
                '--base-url',
                sandbox.portalUrl,
                '--config',
                configFile,
                '--json',
                '--trace',
                'retain-on-failure',
                '--artifacts',
                join(work, 'artifacts-cli'),
              ],
              { cwd: REPO, env, timeoutMs: 120_000 },
            ),
            'journey-prober run',
          ),
      },
      {
        key: 'd',
        label: '(d) `elastic-synthetics` one-shot process',
        run: async () =>
          fromChild(
            await runTimed(
              ELASTIC_BIN,
              [
                'journeys',
                '--params',
                JSON.stringify({ url: sandbox.portalUrl }),
                '--playwright-options',
                elasticOptions,
                '--screenshots',
                'only-on-failure',
                '--no-throttling',
              ],
              { cwd: ELASTIC_DIR, env, timeoutMs: 120_000 },
            ),
            'elastic-synthetics',
          ),
      },
    ];
    ctx.progress(`overhead: ${rounds} rounds of a b c d after a warm-up`);
    const samples = await interleave(contestants, rounds, ctx);

    const policies = (['off', 'retain-on-failure', 'on'] as const).map((trace) => {
      const runOnce = trace === 'retain-on-failure' ? retain : serveRun(trace);
      return {
        key: trace,
        label: `trace ${trace}`,
        run: () =>
          inProcess(
            () => pool.pid,
            async () => mustPass(await runOnce()),
          ),
      };
    });
    ctx.progress(`trace policy: ${traceRounds} rounds of off / retain-on-failure / on`);
    const traceSamples = await interleave(policies, traceRounds, ctx);

    const s = (key: string, map = samples): Sample[] => map.get(key)!;
    const med = (key: string, field: 'wallMs' | 'cpuMs', map = samples): number =>
      median(s(key, map).map((x) => x[field]));
    const ratios = {
      bOverA: {
        wall: medianRatio(
          s('b').map((x) => x.wallMs),
          s('a').map((x) => x.wallMs),
        ),
        cpu: medianRatio(
          s('b').map((x) => x.cpuMs),
          s('a').map((x) => x.cpuMs),
        ),
        pairedWall: pairedRatio(s('b'), s('a'), 'wallMs'),
        pairedCpu: pairedRatio(s('b'), s('a'), 'cpuMs'),
      },
      cOverD: {
        wall: medianRatio(
          s('c').map((x) => x.wallMs),
          s('d').map((x) => x.wallMs),
        ),
        cpu: medianRatio(
          s('c').map((x) => x.cpuMs),
          s('d').map((x) => x.cpuMs),
        ),
        pairedWall: pairedRatio(s('c'), s('d'), 'wallMs'),
        pairedCpu: pairedRatio(s('c'), s('d'), 'cpuMs'),
      },
      retainOverOff: {
        wall: medianRatio(
          s('retain-on-failure', traceSamples).map((x) => x.wallMs),
          s('off', traceSamples).map((x) => x.wallMs),
        ),
        cpu: medianRatio(
          s('retain-on-failure', traceSamples).map((x) => x.cpuMs),
          s('off', traceSamples).map((x) => x.cpuMs),
        ),
      },
      onOverOff: {
        wall: medianRatio(
          s('on', traceSamples).map((x) => x.wallMs),
          s('off', traceSamples).map((x) => x.wallMs),
        ),
        cpu: medianRatio(
          s('on', traceSamples).map((x) => x.cpuMs),
          s('off', traceSamples).map((x) => x.cpuMs),
        ),
      },
    };
    const rows: Row[] = [
      ...contestants.map((c) => ({
        metric: `${c.label}: wall / CPU (median)`,
        value: `${ms(med(c.key, 'wallMs'))} / ${ms(med(c.key, 'cpuMs'))}`,
      })),
      {
        metric: '(b)/(a) wall time, ratio of medians (paired)',
        value: `${times(ratios.bOverA.wall)} (${times(ratios.bOverA.pairedWall)})`,
        target: '≤ 1.05',
        verdict: ratios.bOverA.wall <= 1.05 ? 'met' : 'missed',
      },
      {
        metric: '(b)/(a) CPU time (paired)',
        value: `${times(ratios.bOverA.cpu)} (${times(ratios.bOverA.pairedCpu)})`,
      },
      {
        metric: '(c)/(d) wall time (paired)',
        value: `${times(ratios.cOverD.wall)} (${times(ratios.cOverD.pairedWall)})`,
        target: '< 1 (c faster than d)',
        verdict: ratios.cOverD.wall < 1 ? 'met' : 'missed',
      },
      {
        metric: '(c)/(d) CPU time (paired)',
        value: `${times(ratios.cOverD.cpu)} (${times(ratios.cOverD.pairedCpu)})`,
      },
      ...policies.map((p) => ({
        metric: `runJourney, ${p.label}: wall / CPU (median)`,
        value: `${ms(med(p.key, 'wallMs', traceSamples))} / ${ms(med(p.key, 'cpuMs', traceSamples))}`,
      })),
      {
        metric: 'trace retain-on-failure / off: wall, CPU',
        value: `${times(ratios.retainOverOff.wall)}, ${times(ratios.retainOverOff.cpu)}`,
      },
      {
        metric: 'trace on / off: wall, CPU',
        value: `${times(ratios.onOverOff.wall)}, ${times(ratios.onOverOff.cpu)}`,
      },
    ];
    return {
      rows,
      data: {
        rounds,
        traceRounds,
        contestants: Object.fromEntries(contestants.map((c) => [c.key, c.label])),
        summaries: summaries(samples),
        traceSummaries: summaries(traceSamples),
        ratios: JSON.parse(
          JSON.stringify(ratios, (_k, v: unknown) => (typeof v === 'number' ? round(v, 4) : v)),
        ) as unknown,
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
      ],
    };
  } finally {
    await bare?.browser.close().catch(() => undefined);
    await pool.close();
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export const overhead: Benchmark = { name: 'overhead', title: 'Overhead per run', run };
