import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../src/journey/types.js';
import { ms, rotate, times, type BenchContext, type Benchmark } from './lib/bench.js';
import { runTimed } from './lib/children.js';
import { CHROMIUM_PATH } from './lib/chromium.js';
import { BENCH_JOURNEYS } from './lib/prober.js';
import type { Row } from './lib/report.js';
import { CLI, REPO, startSandboxProcess, type SandboxProcess } from './lib/sandbox-proc.js';
import { firstAction, readRuns, startServe, writeServeConfig } from './lib/serve-proc.js';
import { median, round, summarize } from './lib/stats.js';
import { waitUntil } from './lib/wait.js';

type Sample = Record<string, number>;

const ENV = { ...process.env, PROBER_BROWSER_PATH: CHROMIUM_PATH, PROBER_LOG_LEVEL: 'warn' };

async function nodeBare(): Promise<Sample> {
  const exit = await runTimed(process.execPath, ['-e', '0'], { env: ENV, timeoutMs: 60_000 });
  return { exitMs: exit.wallMs, cpuMs: exit.cpuMs };
}

async function help(cli: string, flag: '--help' | '--version' = '--help'): Promise<Sample> {
  const exit = await runTimed(process.execPath, [cli, flag], { cwd: REPO, env: ENV, timeoutMs: 60_000 });
  if (exit.code !== 0) throw new Error(`journey-prober ${flag} exited ${exit.code}: ${exit.stderr}`);
  return { exitMs: exit.wallMs, cpuMs: exit.cpuMs };
}

async function oneShot(cli: string, sandbox: SandboxProcess, config: string): Promise<Sample> {
  const exit = await runTimed(
    process.execPath,
    [
      cli,
      'run',
      'fast',
      '--target',
      'sandbox',
      '--base-url',
      sandbox.portalUrl,
      '--config',
      config,
      '--json',
    ],
    { cwd: REPO, env: ENV, timeoutMs: 120_000 },
  );
  const result = JSON.parse(exit.stdout.trim().split('\n').at(-1) ?? '{}') as RunResult;
  const first = firstAction(result);
  if (exit.code !== 0 || first === undefined)
    throw new Error(`journey-prober run exited ${exit.code}: ${exit.stderr.slice(-400)}`);
  return {
    runStartMs: Date.parse(result.startedAt) - exit.spawnedAt,
    firstActionMs: first - exit.spawnedAt,
    exitMs: exit.wallMs,
    cpuMs: exit.cpuMs,
  };
}

async function serveStart(cli: string, sandbox: SandboxProcess): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const { config, results } = writeServeConfig({
      dir,
      sandboxUrl: sandbox.portalUrl,
      targets: ['s1'],
      schedules: [{ journey: 'fast', target: 's1', cron: '0 0 1 1 *', runOnStart: true }],
      concurrency: 1,
    });
    const serve = await startServe(config, {}, cli);
    const spawned = serve.child.spawnedAt;
    try {
      let readyAt = 0;
      await waitUntil(
        async () => {
          const status = await fetch(`${serve.url}/readyz`, { signal: AbortSignal.timeout(5_000) })
            .then((r) => r.status)
            .catch(() => 0);
          if (status === 200) readyAt = Date.now();
          return status === 200;
        },
        60_000,
        10,
      );
      let first: number | undefined;
      await waitUntil(
        () =>
          (first = readRuns(results)
            .map(firstAction)
            .find((t) => t !== undefined)) !== undefined,
        60_000,
        50,
      );
      return {
        listeningMs: serve.times.listening - spawned,
        readyLogMs: serve.times.ready - spawned,
        readyzMs: readyAt - spawned,
        firstActionMs: first! - spawned,
      };
    } finally {
      await serve.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(samples: readonly Sample[]): Record<string, ReturnType<typeof summarize>> {
  const keys = Object.keys(samples[0] ?? {});
  return Object.fromEntries(keys.map((k) => [k, summarize(samples.map((s) => round(s[k]!)))]));
}

/** Another checkout's CLI (BENCH_BASELINE_CLI=/path/bin/journey-prober.js): measured interleaved, as a before/after. */
const BASELINE_CLI = process.env.BENCH_BASELINE_CLI;

interface Contestant {
  readonly key: string;
  readonly label: string;
  run(): Promise<Sample>;
}

function contestantsFor(cli: string, suffix: string, sandbox: SandboxProcess, config: string): Contestant[] {
  return [
    { key: `help${suffix}`, label: `\`journey-prober --help\`${suffix} (CLI load)`, run: () => help(cli) },
    {
      key: `version${suffix}`,
      label: `\`journey-prober --version\`${suffix} (asks the browser)`,
      run: () => help(cli, '--version'),
    },
    {
      key: `run${suffix}`,
      label: `\`run fast\`${suffix} one-shot`,
      run: () => oneShot(cli, sandbox, config),
    },
    { key: `serve${suffix}`, label: `\`serve\`${suffix}`, run: () => serveStart(cli, sandbox) },
  ];
}

function rowsFor(suffix: string, m: (key: string, field: string) => number): Row[] {
  return [
    {
      metric: `\`journey-prober --help\`${suffix} (CLI load): exit, CPU`,
      value: `${ms(m(`help${suffix}`, 'exitMs'))}, ${ms(m(`help${suffix}`, 'cpuMs'))}`,
      target: '≤ 150 ms exit',
      verdict: m(`help${suffix}`, 'exitMs') <= 150 ? 'met' : 'missed',
    },
    {
      metric: `\`journey-prober --version\`${suffix} (runs \`chromium --version\`): exit, CPU (whole tree)`,
      value: `${ms(m(`version${suffix}`, 'exitMs'))}, ${ms(m(`version${suffix}`, 'cpuMs'))}`,
      target: '≤ 150 ms exit',
      verdict: m(`version${suffix}`, 'exitMs') <= 150 ? 'met' : 'missed',
    },
    {
      metric: `\`run fast\`${suffix} one-shot: spawn → runJourney start → first action (first step)`,
      value: `${ms(m(`run${suffix}`, 'runStartMs'))} → ${ms(m(`run${suffix}`, 'firstActionMs'))}`,
    },
    {
      metric: `\`run fast\`${suffix} one-shot: exit, CPU (whole tree)`,
      value: `${ms(m(`run${suffix}`, 'exitMs'))}, ${ms(m(`run${suffix}`, 'cpuMs'))}`,
    },
    {
      metric: `\`serve\`${suffix}: spawn → listening → /readyz 200 → first run's first action`,
      value: `${ms(m(`serve${suffix}`, 'listeningMs'))} → ${ms(m(`serve${suffix}`, 'readyzMs'))} → ${ms(m(`serve${suffix}`, 'firstActionMs'))}`,
    },
  ];
}

async function run(ctx: BenchContext) {
  const rounds = ctx.quick ? 1 : 5;
  const sandbox = await startSandboxProcess();
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-run-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({ journeysDir: BENCH_JOURNEYS, artifacts: { dir: join(dir, 'artifacts') } }),
  );
  const contestants: Contestant[] = [
    { key: 'node', label: '`node -e 0`', run: nodeBare },
    ...contestantsFor(CLI, '', sandbox, config),
    ...(BASELINE_CLI === undefined ? [] : contestantsFor(BASELINE_CLI, ' (baseline)', sandbox, config)),
  ];
  const samples: Record<string, Sample[]> = Object.fromEntries(contestants.map((c) => [c.key, []]));
  try {
    for (let r = -1; r < rounds; r++) {
      for (const c of rotate(contestants, r + 1)) {
        const sample = await c.run();
        if (r >= 0) samples[c.key]!.push(sample);
      }
      ctx.progress(`${r < 0 ? 'warm-up' : `round ${r + 1}/${rounds}`} done`);
    }
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const m = (key: string, field: string): number => median(samples[key]!.map((s) => s[field]!));
  const rows: Row[] = [
    {
      metric: '`node -e 0` (floor): exit, CPU',
      value: `${ms(m('node', 'exitMs'))}, ${ms(m('node', 'cpuMs'))}`,
    },
    ...rowsFor('', m),
    ...(BASELINE_CLI === undefined
      ? []
      : [
          ...rowsFor(' (baseline)', m),
          {
            metric: 'this checkout / baseline: --help CPU, run first action, serve /readyz',
            value: [
              times(m('help', 'cpuMs') / m('help (baseline)', 'cpuMs')),
              times(m('run', 'firstActionMs') / m('run (baseline)', 'firstActionMs')),
              times(m('serve', 'readyzMs') / m('serve (baseline)', 'readyzMs')),
            ].join(', '),
          },
        ]),
  ];
  return {
    rows,
    data: {
      rounds,
      ...(BASELINE_CLI === undefined ? {} : { baselineCli: BASELINE_CLI }),
      ...Object.fromEntries(contestants.map((c) => [c.key, table(samples[c.key]!)])),
    },
    notes: [
      "Medians of interleaved rounds (rotating who goes first). Times from spawn (Date.now() in the benchmark) to the child's own timestamps: its log lines, the run's startedAt, the journey's first line.",
      ...(BASELINE_CLI === undefined
        ? []
        : [`Baseline: \`${BASELINE_CLI}\`, another checkout measured in the same rounds.`]),
    ],
  };
}

export const startup: Benchmark = { name: 'startup', title: 'Startup', run };
