import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { runCli } from '../helpers/process.js';
import type { ServerRequest } from './fixture.js';

/**
 * The acceptance: the three journeys, 20 times each, through the CLI against a
 * running sandbox, every run a success, one JSON line per run.
 */
const ROOT = join(import.meta.dirname, '../../..');
const REPEAT = 20;
const JOURNEYS = ['purchase', 'renewal', 'seat-change'];
/** ~2 min on an idle 2-core machine; the bound leaves room for a machine shared with other work. */
const CLI_TIMEOUT_MS = 540_000;

let sandbox: Sandbox;
let artifacts: string;
beforeAll(async () => {
  sandbox = await startSandbox({ provisioningDelayMs: 300 });
  artifacts = mkdtempSync(join(tmpdir(), 'journeys-cli-'));
});
afterAll(async () => {
  await sandbox?.close();
  if (artifacts) rmSync(artifacts, { recursive: true, force: true });
});

/** Runs the CLI in its own process group, killed (group and all) if it outlives the bound. */
async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = await runCli(args, {
    cwd: ROOT,
    env: { NO_COLOR: '1' },
    inheritEnv: true,
    timeoutMs: CLI_TIMEOUT_MS,
  });
  return { code: run.exit.code, stdout: run.stdout, stderr: run.stderr };
}

interface JsonResult {
  runId: string;
  journey: string;
  outcome: string;
  durationMs: number;
  steps: { name: string; outcome: string }[];
}

it(
  `run ${JOURNEYS.join(' ')} --repeat ${REPEAT} --json: ${REPEAT * JOURNEYS.length} success lines, exit 0`,
  async () => {
    const args = ['run', ...JOURNEYS, '--target', 'sandbox', '--base-url', sandbox.portalUrl];
    const { code, stdout, stderr } = await cli([
      ...args,
      '--repeat',
      String(REPEAT),
      '--json',
      '--artifacts',
      artifacts,
    ]);
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    const results = lines.map((l) => JSON.parse(l) as JsonResult);
    const failed = results.filter((r) => r.outcome !== 'success').map((r) => JSON.stringify(r));
    expect(failed, failed.join('\n')).toEqual([]);
    expect(code, stderr.slice(-2000)).toBe(0);
    expect(results).toHaveLength(REPEAT * JOURNEYS.length);
    for (const journey of JOURNEYS) expect(results.filter((r) => r.journey === journey)).toHaveLength(REPEAT);
    for (const r of results) expect(r.steps.every((s) => s.outcome === 'success')).toBe(true);

    // Every request the sandbox kept that carries X-Synthetic-Journey names one of these runs,
    // and the last run of each journey is there with its own header.
    const names = new Set(results.map((r) => `${r.journey}/${r.runId}`));
    const response = await fetch(`${sandbox.portalUrl}/__sandbox/requests`);
    const { requests } = (await response.json()) as { requests: ServerRequest[] };
    const tagged = requests.filter((r) => r.synthetic !== undefined);
    expect(tagged.length).toBeGreaterThan(100);
    expect(tagged.filter((r) => !names.has(r.synthetic!))).toEqual([]);
    for (const journey of JOURNEYS) {
      const last = results.filter((r) => r.journey === journey).at(-1)!;
      expect(tagged.filter((r) => r.synthetic === `${journey}/${last.runId}`).length).toBeGreaterThan(5);
    }
    const seconds = results.map((r) => r.durationMs / 1000);
    console.info(
      `CLI: ${results.length} runs, median ${seconds.sort((a, b) => a - b)[Math.floor(seconds.length / 2)]!.toFixed(2)} s, max ${Math.max(...seconds).toFixed(2)} s`,
    );
  },
  CLI_TIMEOUT_MS + 20_000,
);
