import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { sum } from '../helpers/metrics.js';
import { ProberProcess } from '../helpers/process.js';
import { ServeUnderTest, workdir, type InProcessServe } from '../helpers/serve.js';
import { startFaultSite, type FaultSite } from './fault-site.js';
import { siteJourney } from './site-journey.js';

/**
 * Evidence cannot be written (serve in this process; `run`'s exit code from the CLI): a full disk (a 256 KiB tmpfs filled up; root can mount one
 * here, and chmod would not stop root from writing) and a path under a regular file
 * (ENOTDIR, which needs no privilege). The verdict, the results log and the metrics still
 * happen; the artifact failure is logged, annotated on the run and counted.
 */
let site: FaultSite;
let serve: InProcessServe | undefined;
let mounted: string | undefined;
const journeys = () => ({
  broken: siteJourney({ name: 'broken', path: '/', stepTimeoutMs: 1_500 }).replace(
    "name: 'Welcome'",
    "name: 'Goodbye'",
  ),
});

/** A full file system at `dir`: a tiny tmpfs and a filler; undefined when mounting is not permitted. */
function fullDisk(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    return undefined;
  }
  mounted = dir;
  try {
    writeFileSync(join(dir, 'filler'), Buffer.alloc(1024 * 1024, 1));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  return dir;
}

beforeAll(async () => {
  site = await startFaultSite();
});

afterAll(async () => {
  // serve lets go of the full disk before it is unmounted.
  await serve?.stop();
  if (mounted !== undefined) execFileSync('umount', ['-l', mounted]);
  await serve?.dispose();
  await site?.close();
});

describe('reliability: artifacts cannot be written', () => {
  it('serve with a full disk (or, unprivileged, a path under a file): verdicts, results log and metrics go on; the failure is logged, annotated and counted', async () => {
    const work = workdir(journeys(), '');
    const disk = fullDisk(join(work.dir, 'out', 'disk'));
    let artifactsDir = join(disk ?? '', 'artifacts');
    let expected = /ENOSPC/;
    if (disk === undefined) {
      console.warn('cannot mount a tmpfs here: the full disk is simulated by ENOTDIR instead');
      writeFileSync(join(work.dir, 'not-a-dir'), '');
      artifactsDir = join(work.dir, 'not-a-dir', 'artifacts');
      expected = /ENOTDIR/;
    }
    serve = await ServeUnderTest.inProcess(
      journeys(),
      [
        'journeysDir: journeys',
        'results: { path: out/runs.jsonl }',
        `artifacts: { dir: "${artifactsDir}" }`,
        'trace: "retain-on-failure"',
        'shutdownGraceMs: 10000',
        'targets:',
        `  site: { baseUrl: "${site.origin}", allowPurchases: true }`,
        'schedules:',
        "  - { journey: broken, target: site, cron: '*/2 * * * * *', jitterMs: 0, runOnStart: true }",
      ],
      { work },
    );
    const s = serve;
    onTestFailed(() => console.log(s.tail()));
    await s.ready();
    await s.runsWhere('two runs', () => true, 2, 30_000);
    const samples = await s.metrics();
    const counted = s.runs().length;
    const stopped = await s.stop();
    expect(stopped.code).toBe(0);

    const runs = s.runs();
    const failures = sum(samples, 'synthetic_journey_runs_total', { journey: 'broken', outcome: 'failure' });
    expect(failures).toBeGreaterThanOrEqual(Math.min(2, counted));
    expect(sum(samples, 'journey_prober_artifact_failures_total')).toBe(failures);
    for (const run of runs) {
      expect(run).toMatchObject({ outcome: 'failure', failure: { step: 'check', class: 'timeout' } });
      expect(run.annotations.artifactError).toMatch(expected);
    }
    const logged = s
      .logLines()
      .filter(
        (l) => l.msg === 'could not write artifact' || l.msg === 'could not create the artifacts directory',
      );
    expect(logged.length).toBeGreaterThanOrEqual(runs.length);
    expect(logged.every((l) => expected.test(String(l.err)))).toBe(true);
    expect(s.logLines().some((l) => l.msg === 'run not saved to the results log')).toBe(false);
  });

  it('run --artifacts under a regular file: exit 1 for the failed journey, the JSON result says why evidence is missing', async () => {
    const work = workdir(journeys(), 'journeysDir: journeys\n');
    writeFileSync(join(work.dir, 'file'), '');
    const cli = new ProberProcess(
      [
        'run',
        'broken',
        '--base-url',
        site.origin,
        '--json',
        '--artifacts',
        join(work.dir, 'file', 'artifacts'),
        '--config',
        work.config,
      ],
      {},
      work.dir,
    );
    const exit = await cli.exited;
    rmSync(work.dir, { recursive: true, force: true });
    expect(exit).toEqual({ code: 1, signal: null });
    const result = JSON.parse(cli.stdout.trim()) as {
      outcome: string;
      failure: unknown;
      annotations: Record<string, string>;
    };
    expect(result).toMatchObject({ outcome: 'failure', failure: { step: 'check', class: 'timeout' } });
    expect(result.annotations.artifactError).toMatch(/^directory: .*ENOTDIR/);
    expect(cli.stderr).toMatch(/could not create the artifacts directory/);
  });
});
