import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { RunResult } from '../../../src/journey/types.js';
import { poll } from '../helpers/http.js';
import { sum, parseMetrics } from '../helpers/metrics.js';
import { jsonLines, runCli } from '../helpers/process.js';
import { ServeUnderTest, type ServeProcess } from '../helpers/serve.js';
import { startFaultSite, type FaultSite } from './fault-site.js';
import { HOSTILE, LOOP_TIMEOUT_MS, WELL_BEHAVED } from './hostile-journeys.js';

/**
 * Issue 15, findings 1 and 2: journey code with a bug — a forgotten await, a late rejection,
 * a throwing listener, process.exit(0|1), a synchronous endless loop — ends its own run as
 * `error/script` with the step it was in, and never the prober: `serve` keeps scheduling,
 * answers /metrics while the loop spins, stops on SIGTERM within its grace; `run` exits 3
 * with every result in its JSON and JUnit output. All with PROBER_ISOLATION=worker.
 */
const GRACE_MS = 3_000;
/** Isolation is the default; set here so the test holds whatever the default becomes (src/scheduler/executor.ts isolationOf). */
const ISOLATED = { PROBER_ISOLATION: 'worker' };
/** A frozen worker is seen as such within isolation.ts STALL_MS (3 s) of its deadline, checked every 0.5 s. */
const STALL_BOUND_MS = 3_000 + 1_000;
let site: FaultSite;

beforeAll(async () => {
  site = await startFaultSite();
});

afterAll(async () => {
  await site?.close();
});

const journeys = { ...HOSTILE, 'well-behaved': WELL_BEHAVED };

/** How each hostile journey's run must end: error/script in the step named (the late rejection may also pass: it can land after the run). */
function expectScriptError(run: RunResult, step: string): void {
  expect(run.outcome, JSON.stringify(run)).toBe('error');
  expect(run.failure?.class).toBe('script');
  expect(run.failure?.step).toBe(step);
}

function expectVerdicts(runs: readonly RunResult[]): void {
  const first = (name: string): RunResult => {
    const run = runs.find((r) => r.journey === name);
    expect(run, `a run of ${name}`).toBeDefined();
    return run!;
  };
  expectScriptError(first('forgot-await'), 'wait');
  expect(first('forgot-await').failure?.message).toMatch(/rejected with nothing awaiting it.*Timeout 300ms/);
  expectScriptError(first('console-throw'), 'wait');
  expect(first('console-throw').failure?.message).toContain('listener blew up');
  expectScriptError(first('exit-zero'), 'leave');
  expect(first('exit-zero').failure?.message).toContain('process.exit(0)');
  expectScriptError(first('exit-one'), 'leave');
  expectScriptError(first('endless-loop'), 'spin');
  expect(first('endless-loop').failure?.message).toMatch(/did not yield/);
  const late = first('late-rejection');
  if (late.outcome !== 'success') expect(late.failure?.class).toBe('script');
  expect(first('well-behaved').outcome).toBe('success');
}

describe('reliability: hostile journey files', () => {
  describe('under serve', () => {
    let serve: ServeProcess;

    beforeAll(async () => {
      const schedules = Object.keys(journeys).map(
        (name) =>
          `  - { journey: ${name}, target: site, cron: '*/5 * * * * *', jitterMs: 0, runOnStart: true }`,
      );
      serve = await ServeUnderTest.process(
        journeys,
        [
          'journeysDir: journeys',
          'results: { path: out/runs.jsonl }',
          'artifacts: { dir: out/artifacts }',
          'trace: "off"',
          `shutdownGraceMs: ${GRACE_MS}`,
          'concurrency: 2',
          'targets:',
          `  site: { baseUrl: "${site.origin}", allowPurchases: true }`,
          'schedules:',
          ...schedules,
        ],
        { env: ISOLATED },
      );
      await serve.ready();
    });

    afterAll(async () => {
      await serve?.dispose();
    });

    it('survives every one, records each as error/script with its step, and keeps scheduling', async () => {
      onTestFailed(() => console.log(serve.tail()));
      // Every journey ran, and the well-behaved one ran again after the hostile ones had their turn.
      await serve.runsWhere(
        'a run of every journey, and a second well-behaved run after them',
        () => {
          const runs = serve.runs();
          const names = new Set(runs.map((r) => r.journey));
          const lastHostile = Math.max(
            ...runs.filter((r) => r.journey !== 'well-behaved').map((r) => Date.parse(r.startedAt)),
          );
          return (
            names.size === Object.keys(journeys).length &&
            runs.some((r) => r.journey === 'well-behaved' && Date.parse(r.startedAt) > lastHostile)
          );
        },
        1,
        150_000,
      );
      expect(serve.prober.running).toBe(true);
      expectVerdicts(serve.runs());
      // The counters agree with the results log.
      const samples = await serve.metrics();
      for (const name of ['forgot-await', 'console-throw', 'exit-zero', 'exit-one', 'endless-loop']) {
        expect(
          sum(samples, 'synthetic_journey_failures_total', { journey: name, class: 'script' }),
        ).toBeGreaterThan(0);
      }
    });

    it('answers /metrics within 1 s while a journey spins in an endless loop', async () => {
      onTestFailed(() => console.log(serve.tail()));
      // Probes until two were answered while the loop was running (in_progress in the same
      // answer): the loop's run ends at its timeout and the next starts on the next tick. Bounded
      // by time, not by a count of probes: with two slots for six journeys, the loop's run can
      // wait for a slot or be skipped on a tick, so how many probes fall in a loop depends on load.
      const answered: number[] = [];
      let duringLoop = 0;
      const deadline = Date.now() + 90_000;
      for (let i = 0; i < 400 && duringLoop < 2 && Date.now() < deadline; i++) {
        const t0 = Date.now();
        const res = await fetch(`${serve.url}/metrics`, { signal: AbortSignal.timeout(1_000) });
        expect(res.status).toBe(200);
        const samples = parseMetrics(await res.text());
        answered.push(Date.now() - t0);
        if (sum(samples, 'synthetic_journey_in_progress', { journey: 'endless-loop' }) > 0) duringLoop++;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      console.log(
        `hostile: /metrics answered in ${JSON.stringify(answered)} ms, ${duringLoop} during the loop`,
      );
      expect(duringLoop, 'answers while the loop ran').toBe(2);
    });
  });

  it('serve stops on SIGTERM within its grace while a journey loops, and records the run', async () => {
    const serve = await ServeUnderTest.process(
      {
        'endless-loop': HOSTILE['endless-loop']!.replace(
          `timeoutMs: ${LOOP_TIMEOUT_MS}`,
          'timeoutMs: 120000',
        ),
      },
      [
        'journeysDir: journeys',
        'results: { path: out/runs.jsonl }',
        'trace: "off"',
        `shutdownGraceMs: ${GRACE_MS}`,
        'targets:',
        `  site: { baseUrl: "${site.origin}", allowPurchases: true }`,
        'schedules:',
        "  - { journey: endless-loop, target: site, cron: '0 0 1 1 *', jitterMs: 0, runOnStart: true }",
      ],
      { env: ISOLATED },
    );
    try {
      onTestFailed(() => console.log(serve.tail()));
      await serve.ready();
      await poll(
        'the loop is spinning',
        () =>
          Promise.resolve(
            serve.logLines().some((l) => l.step === 'open' && l.msg === 'step finished') ? true : undefined,
          ),
        60_000,
        50,
      );
      const stopped = await serve.stop();
      console.log(`hostile: serve stopped in ${stopped.ms} ms during the loop (grace ${GRACE_MS} ms)`);
      expect(stopped.code).toBe(0);
      // The grace, then the frozen worker is seen and stopped; then serve's own shutdown.
      expect(stopped.ms).toBeLessThan(GRACE_MS + STALL_BOUND_MS + 10_000);
      const [run] = serve.runs();
      expect(run?.outcome).toBe('error');
      expect(run?.failure).toMatchObject({ step: 'spin', class: 'script' });
      expect(run?.failure?.message).toContain('at shutdown');
    } finally {
      await serve.dispose();
    }
  });

  it('run exits 3 and still reports every other journey, in JSON and in JUnit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prober-hostile-run-'));
    try {
      mkdirSync(join(dir, 'journeys'));
      for (const [name, source] of Object.entries(journeys))
        writeFileSync(join(dir, 'journeys', `${name}.journey.ts`), source);
      writeFileSync(
        join(dir, 'config.yaml'),
        [
          'journeysDir: journeys',
          'targets:',
          `  site: { baseUrl: "${site.origin}", allowPurchases: true }`,
          '',
        ].join('\n'),
      );
      const names = Object.keys(journeys);
      const cli = await runCli(
        [
          'run',
          '--config',
          'config.yaml',
          '--target',
          'site',
          '--json',
          '--junit',
          'out/junit.xml',
          '--trace',
          'off',
          ...names,
        ],
        { cwd: dir, timeoutMs: 240_000, env: ISOLATED },
      );
      onTestFailed(() => console.log(cli.stdout, cli.stderr));
      expect(cli.exit.code).toBe(3);
      const results = jsonLines(cli.stdout) as unknown as RunResult[];
      expect(results.map((r) => r.journey)).toEqual(names);
      expectVerdicts(results);
      const junit = readFileSync(join(dir, 'out', 'junit.xml'), 'utf8');
      for (const name of names) expect(junit).toContain(name);
      // One suite a journey, one case a step.
      expect(junit.match(/<testsuite /g)?.length).toBe(names.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('the built-in journeys pay and pass in their workers (the card crosses as a secret)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prober-isolated-builtins-'));
    try {
      const cli = await runCli(['run', 'purchase', 'seat-change', '--json', '--trace', 'off'], {
        cwd: dir,
        timeoutMs: 240_000,
        env: ISOLATED,
      });
      const results = jsonLines(cli.stdout) as unknown as RunResult[];
      expect(
        results.map((r) => [r.journey, r.outcome, r.failure?.message]),
        cli.stderr.slice(-2000),
      ).toEqual([
        ['purchase', 'success', undefined],
        ['seat-change', 'success', undefined],
      ]);
      expect(cli.exit.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
