import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretRegistry } from '../src/log.js';
import type { RunResult } from '../src/journey/types.js';
import { ms, rotate, type BenchContext, type Benchmark } from './lib/bench.js';
import { benchJourneys, benchPool, journeyNamed, sandboxTarget, serveLikeLogger } from './lib/prober.js';
import type { Row } from './lib/report.js';
import { startSandboxProcess, type SandboxProcess } from './lib/sandbox-proc.js';
import { mustPass, serveLikeRunner } from './lib/serve-like.js';
import { median, round, summarize } from './lib/stats.js';

/** The step the delay is injected on, and the one request of it the fault matches. */
const STEP = 'checkout step 1';
const FAULT_PATH = '/subscriptions/new';
const DELAYS = [0, 100, 500, 2000] as const;

interface Sample {
  readonly delayMs: number;
  /** The step's duration as the prober measured it. */
  readonly stepMs: number;
  /** The server's own time for the delayed request (incl. the injected latency). */
  readonly serverMs: number;
}

async function serverTime(sandbox: SandboxProcess, result: RunResult): Promise<number> {
  const url = `${sandbox.portalUrl}/__sandbox/requests?synthetic=${encodeURIComponent(`${result.journey}/${result.runId}`)}`;
  const body = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as {
    requests: { path: string; durationMs: number }[];
  };
  const hit = body.requests.filter((r) => r.path === FAULT_PATH).at(-1);
  if (hit === undefined) throw new Error(`the sandbox saw no ${FAULT_PATH} of run ${result.runId}`);
  return hit.durationMs;
}

async function run(ctx: BenchContext) {
  const rounds = ctx.quick ? 2 : 8;
  const sandbox = await startSandboxProcess();
  const work = mkdtempSync(join(tmpdir(), 'bench-fidelity-'));
  const secrets = new SecretRegistry();
  const log = serveLikeLogger(secrets);
  const pool = benchPool(log);
  try {
    const journey = journeyNamed(await benchJourneys(), 'checkout-start');
    const live = await sandboxTarget(sandbox.portalUrl, secrets, log);
    await pool.launch();
    const runOnce = serveLikeRunner({
      journey,
      live,
      browser: pool,
      log,
      trace: 'retain-on-failure',
      artifactsDir: work,
    });
    const samples: Sample[] = [];
    for (let r = -1; r < rounds; r++) {
      for (const delayMs of rotate(DELAYS, r + 1)) {
        await sandbox.setFaults(delayMs === 0 ? [] : [{ match: FAULT_PATH, latencyMs: delayMs }]);
        const result = mustPass(await runOnce());
        const step = result.steps.find((s) => s.name === STEP);
        if (step === undefined) throw new Error(`no step "${STEP}" in the result`);
        const sample = { delayMs, stepMs: step.durationMs, serverMs: await serverTime(sandbox, result) };
        if (r >= 0) samples.push(sample);
      }
      ctx.progress(`${r < 0 ? 'warm-up' : `round ${r + 1}/${rounds}`} done`);
    }
    await sandbox.reset();

    const of = (d: number): Sample[] => samples.filter((s) => s.delayMs === d);
    const baseline = median(of(0).map((s) => s.stepMs));
    const baselineServer = median(of(0).map((s) => s.serverMs));
    const perDelay = DELAYS.filter((d) => d > 0).map((delayMs) => {
      const list = of(delayMs);
      const measured = median(list.map((s) => s.stepMs)) - baseline;
      const server = median(list.map((s) => s.serverMs)) - baselineServer;
      const errorMs = measured - delayMs;
      const allowedMs = Math.max(20, 0.03 * delayMs);
      return {
        delayMs,
        measuredDeltaMs: round(measured),
        serverDeltaMs: round(server),
        errorMs: round(errorMs),
        errorPct: round((100 * errorMs) / delayMs, 2),
        allowedMs,
        stepMs: summarize(list.map((s) => s.stepMs)),
      };
    });
    const rows: Row[] = [
      { metric: `baseline "${STEP}" step (no fault), median`, value: ms(baseline) },
      ...perDelay.map((p) => ({
        metric: `+${p.delayMs} ms on ${FAULT_PATH}: measured step − baseline (server saw +${p.serverDeltaMs} ms)`,
        value: `${p.measuredDeltaMs} ms, error ${p.errorMs >= 0 ? '+' : ''}${p.errorMs} ms (${p.errorPct} %)`,
        target: `within ±${p.allowedMs} ms`,
        verdict: Math.abs(p.errorMs) <= p.allowedMs ? ('met' as const) : ('missed' as const),
      })),
    ];
    return {
      rows,
      data: {
        rounds,
        baselineMs: summarize(of(0).map((s) => s.stepMs)),
        perDelay,
        samples: samples.map((s) => ({
          delayMs: s.delayMs,
          stepMs: round(s.stepMs),
          serverMs: round(s.serverMs),
        })),
      },
      notes: [
        `A \`latencyMs\` fault on \`${FAULT_PATH}\` (sandbox control API) delays only the document of checkout step 1; the step is measured by runJourney (serve's executor, retain-on-failure, artifacts on).`,
      ],
    };
  } finally {
    await pool.close();
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export const fidelity: Benchmark = { name: 'fidelity', title: 'Fidelity of step timing', run };
