import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { SecretRegistry } from '../src/log.js';
import { bareCheckoutStart } from './lib/bare-journey.js';
import { ms, rotate, type BenchContext, type Benchmark } from './lib/bench.js';
import { benchJourneys, benchPool, journeyNamed, sandboxTarget, serveLikeLogger } from './lib/prober.js';
import type { Row } from './lib/report.js';
import { startSandboxProcess } from './lib/sandbox-proc.js';
import { launchBare } from './lib/sampling.js';
import { mustPass, serveLikeRunner } from './lib/serve-like.js';
import { median, round, summarize } from './lib/stats.js';

/** The step the delay is injected on, and the one request of it the fault matches. */
const STEP = 'checkout step 1';
const FAULT_PATH = '/subscriptions/new';
const DELAYS = [0, 100, 500, 2000] as const;
const WHO = ['prober', 'prober-no-trace', 'bare'] as const;
type Who = (typeof WHO)[number];

interface Sample {
  readonly round: number;
  readonly who: Who;
  readonly delayMs: number;
  /** The step's duration as measured: by the runner (prober), or around the same actions (bare). */
  readonly stepMs: number;
}

function errorsOf(samples: readonly Sample[], who: Who) {
  const of = (d: number): number[] =>
    samples.filter((s) => s.who === who && s.delayMs === d).map((s) => s.stepMs);
  const baseline = median(of(0));
  const at = (d: number, r: number): number | undefined =>
    samples.find((s) => s.who === who && s.delayMs === d && s.round === r)?.stepMs;
  // Paired: each round's delayed step against the same round's baseline, then the median,
  // so load that drifts between rounds (this machine is shared) cancels out.
  const deltas = (d: number): number[] =>
    [...new Set(samples.map((s) => s.round))].flatMap((r) => {
      const delayed = at(d, r);
      const base = at(0, r);
      return delayed === undefined || base === undefined ? [] : [delayed - base];
    });
  return {
    baselineMs: round(baseline),
    perDelay: DELAYS.filter((d) => d > 0).map((delayMs) => {
      const measured = median(deltas(delayMs));
      const errorMs = measured - delayMs;
      return {
        delayMs,
        measuredDeltaMs: round(measured),
        errorMs: round(errorMs),
        errorPct: round((100 * errorMs) / delayMs, 2),
        allowedMs: Math.max(20, 0.03 * delayMs),
        stepMs: summarize(of(delayMs)),
      };
    }),
  };
}

async function run(ctx: BenchContext) {
  const rounds = ctx.quick ? 2 : 12;
  const sandbox = await startSandboxProcess();
  const work = mkdtempSync(join(tmpdir(), 'bench-fidelity-'));
  const secrets = new SecretRegistry();
  const log = serveLikeLogger(secrets);
  const pool = benchPool(log);
  let bare: Browser | undefined;
  try {
    const journey = journeyNamed(await benchJourneys(), 'checkout-start');
    const live = await sandboxTarget(sandbox.portalUrl, secrets, log);
    await pool.launch();
    const warm = (bare = (await launchBare()).browser);
    const runner = (trace: 'retain-on-failure' | 'off') =>
      serveLikeRunner({ journey, live, browser: pool, log, trace, artifactsDir: work });
    const runners = { prober: runner('retain-on-failure'), 'prober-no-trace': runner('off') };
    const measure = async (who: Who): Promise<number> => {
      if (who === 'bare') return (await bareCheckoutStart(warm, sandbox.portalUrl)).checkoutStepMs;
      const step = mustPass(await runners[who]()).steps.find((s) => s.name === STEP);
      if (step === undefined) throw new Error(`no step "${STEP}" in the result`);
      return step.durationMs;
    };
    const samples: Sample[] = [];
    for (let r = -1; r < rounds; r++) {
      for (const delayMs of rotate(DELAYS, r + 1)) {
        await sandbox.setFaults(delayMs === 0 ? [] : [{ match: FAULT_PATH, latencyMs: delayMs }]);
        for (const who of rotate(WHO, r + 1)) {
          const stepMs = await measure(who);
          if (r >= 0) samples.push({ round: r, who, delayMs, stepMs });
        }
      }
      ctx.progress(`${r < 0 ? 'warm-up' : `round ${r + 1}/${rounds}`} done`);
    }
    await sandbox.reset();

    const prober = errorsOf(samples, 'prober');
    const untraced = errorsOf(samples, 'prober-no-trace');
    const reference = errorsOf(samples, 'bare');
    const rows: Row[] = [
      {
        metric: `"${STEP}" with no fault, median: prober (retain-on-failure) / prober (trace off) / bare Playwright`,
        value: `${ms(prober.baselineMs)} / ${ms(untraced.baselineMs)} / ${ms(reference.baselineMs)}`,
      },
      ...prober.perDelay.map((p, i) => {
        const u = untraced.perDelay[i]!;
        const b = reference.perDelay[i]!;
        const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x} ms`;
        return {
          metric: `+${p.delayMs} ms on ${FAULT_PATH}: step − baseline, prober (prober trace off; bare Playwright)`,
          value: `${p.measuredDeltaMs} ms, error ${signed(p.errorMs)} = ${p.errorPct} % (${signed(u.errorMs)}; ${signed(b.errorMs)})`,
          target: `within ±${p.allowedMs} ms`,
          verdict: Math.abs(p.errorMs) <= p.allowedMs ? ('met' as const) : ('missed' as const),
        };
      }),
    ];
    return {
      rows,
      data: {
        rounds,
        prober,
        proberNoTrace: untraced,
        bare: reference,
        samples: samples.map((s) => [s.who, s.delayMs, round(s.stepMs)]),
      },
      notes: [
        `A \`latencyMs\` fault on \`${FAULT_PATH}\` (sandbox control API) delays only the document of checkout step 1. The prober's step is timed by runJourney (serve's executor, retain-on-failure, artifacts on); bare Playwright times the same navigation and assertion with performance.now(). Delays, and who goes first, are interleaved; the delta is paired per round (median over rounds of delayed − baseline of that round).`,
      ],
    };
  } finally {
    await bare?.close().catch(() => undefined);
    await pool.close();
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export const fidelity: Benchmark = { name: 'fidelity', title: 'Fidelity of step timing', run };
