import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, BrowserContextOptions } from '@playwright/test';
import { loadJourneys } from '../src/journey/loader.js';
import { SecretRegistry } from '../src/log.js';
import type { BrowserPool } from '../src/runner/browser.js';
import { DEFAULT_TRACE_POLICY } from '../src/runner/types.js';
import { ms, times, type BenchContext, type Benchmark } from './lib/bench.js';
import { benchPool, sandboxTarget, serveLikeLogger } from './lib/prober.js';
import type { Row } from './lib/report.js';
import { startSandboxProcess } from './lib/sandbox-proc.js';
import { compare, inProcess, interleave, summaries, type Contestant, type Sample } from './lib/sampling.js';
import { mustPass, serveLikeRunner } from './lib/serve-like.js';
import { median } from './lib/stats.js';

const JOURNEYS = fileURLToPath(new URL('../journeys/', import.meta.url));

/**
 * The pool as the runner had it before traceparent: the header on every request of the context
 * (`extraHTTPHeaders`, all origins) and no routing. Only `newContext` differs; the browser is
 * the same one, so both contestants share its warm process.
 */
function unroutedPool(pool: BrowserPool): BrowserPool {
  const newContext = async (options?: BrowserContextOptions): Promise<BrowserContext> => {
    const context = await pool.newContext({
      ...options,
      extraHTTPHeaders: { 'X-Synthetic-Journey': 'purchase/bench' },
    });
    return Object.assign(context, { route: () => Promise.resolve() });
  };
  return new Proxy(pool, {
    get(target, key) {
      if (key === 'newContext') return newContext;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function run(ctx: BenchContext) {
  const rounds = ctx.quick ? 2 : 10;
  const sandbox = await startSandboxProcess();
  const work = mkdtempSync(join(tmpdir(), 'bench-routing-'));
  const secrets = new SecretRegistry();
  const log = serveLikeLogger(secrets);
  const pool = benchPool(log);
  try {
    const journey = (await loadJourneys(JOURNEYS)).journeys.get('purchase');
    if (journey === undefined) throw new Error('no journey "purchase" in journeys/');
    const live = await sandboxTarget(sandbox.portalUrl, secrets, log);
    const withGitlab = { ...live, target: { ...live.target, gitlabUrl: sandbox.gitlabUrl } };
    await pool.launch();
    const runner = (browser: BrowserPool, dir: string) =>
      serveLikeRunner({
        journey,
        live: withGitlab,
        browser,
        log,
        trace: DEFAULT_TRACE_POLICY,
        artifactsDir: join(work, dir),
      });
    const routed = runner(pool, 'routed');
    const unrouted = runner(unroutedPool(pool), 'unrouted');
    const contestants: Contestant[] = [
      {
        key: 'routed',
        label: 'traceparent by context.route on the target origins',
        run: () =>
          inProcess(
            () => pool.pid,
            async () => mustPass(await routed()),
          ),
      },
      {
        key: 'unrouted',
        label: 'no routing (extraHTTPHeaders, all origins)',
        run: () =>
          inProcess(
            () => pool.pid,
            async () => mustPass(await unrouted()),
          ),
      },
    ];
    ctx.progress(`routing: ${rounds} rounds of routed / unrouted purchase runs after a warm-up`);
    const samples = await interleave(contestants, rounds, ctx);
    const s = (key: string): Sample[] => samples.get(key)!;
    const med = (key: string, field: keyof Sample): number => median(s(key).map((x) => x[field] ?? 0));
    const ratio = compare(s('routed'), s('unrouted'));
    const rows: Row[] = [
      ...contestants.map((c) => ({
        metric: `purchase, ${c.label}: wall / CPU (Node.js + Chromium) (median)`,
        value: `${ms(med(c.key, 'wallMs'))} / ${ms(med(c.key, 'cpuMs'))} (${ms(med(c.key, 'driverCpuMs'))} + ${ms(med(c.key, 'browserCpuMs'))})`,
      })),
      {
        metric: 'routed / unrouted wall time (paired)',
        value: `${times(ratio.wall)} (${times(ratio.pairedWall)})`,
      },
      {
        metric: 'routed / unrouted CPU time (paired)',
        value: `${times(ratio.cpu)} (${times(ratio.pairedCpu)})`,
      },
    ];
    return {
      rows,
      data: { rounds, ratio, summaries: summaries(samples) },
      notes: [
        'The built-in purchase journey through serve\'s executor (warm pool, default trace policy, artifacts), interleaved. "unrouted" is the runner as it was before traceparent: X-Synthetic-Journey through extraHTTPHeaders to every origin, no context.route. Routing pauses every request of the context in Chromium (Fetch domain), disables its HTTP cache, and hands the target-origin requests to the prober\'s handler.',
      ],
    };
  } finally {
    await pool.close();
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export const routing: Benchmark = {
  name: 'routing',
  title: 'Cost of the traceparent route',
  run,
};
