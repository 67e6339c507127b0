import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, poll, text } from '../helpers/http.js';
import { parseMetrics, sum } from '../helpers/metrics.js';
import { ProberProcess } from '../helpers/process.js';
import { workdir } from '../helpers/serve.js';
import { ALTERNATING_JOURNEY, OK_JOURNEY } from './journeys.js';

let gateway: ChildProcess | undefined;
let gatewayUrl = '';
let dir = '';
const work = workdir(
  { ok: OK_JOURNEY, alt: ALTERNATING_JOURNEY },
  'journeysDir: journeys\ntrace: "off"\nartifacts: { dir: out/artifacts }\n',
);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prober-pushgateway-'));
  const port = await freePort();
  gatewayUrl = `http://127.0.0.1:${port}`;
  gateway = spawn(
    'prometheus-pushgateway',
    [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(dir, 'metrics.store')}`],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  await poll(
    'pushgateway ready',
    async () =>
      (await text(`${gatewayUrl}/-/ready`).catch(() => undefined))?.status === 200 ? true : undefined,
    20_000,
  );
}, 30_000);

afterAll(() => {
  if (gateway?.pid !== undefined) {
    try {
      process.kill(-gateway.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(work.dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<ProberProcess> {
  const prober = new ProberProcess(['run', ...args, '--config', work.config], {}, work.dir);
  await prober.exited;
  return prober;
}

describe('run --push', () => {
  it('pushes each journey’s metrics to the Pushgateway under {job, journey, target}, the same verdict as the exit code', async () => {
    const prober = await run(['ok', 'alt', '--repeat', '2', '--push', gatewayUrl]);
    // alt fails its second run: exit 1, and the push says so too.
    expect(prober.child.exitCode).toBe(1);
    const samples = parseMetrics((await text(`${gatewayUrl}/metrics`)).body);
    const group = { job: 'journey-prober', target: 'sandbox' };
    expect(
      sum(samples, 'synthetic_journey_runs_total', { ...group, journey: 'ok', outcome: 'success' }),
    ).toBe(2);
    expect(
      sum(samples, 'synthetic_journey_runs_total', { ...group, journey: 'alt', outcome: 'success' }),
    ).toBe(1);
    expect(
      sum(samples, 'synthetic_journey_runs_total', { ...group, journey: 'alt', outcome: 'failure' }),
    ).toBe(1);
    expect(
      sum(samples, 'synthetic_journey_failures_total', {
        ...group,
        journey: 'alt',
        step: 'check heading',
        class: 'timeout',
      }),
    ).toBe(1);
    expect(sum(samples, 'synthetic_journey_success', { ...group, journey: 'alt' })).toBe(0);
    expect(sum(samples, 'synthetic_journey_success', { ...group, journey: 'ok' })).toBe(1);
    expect(sum(samples, 'push_time_seconds', { ...group, journey: 'ok' })).toBeGreaterThan(0);
    expect(
      samples.find((s) => s.name === 'journey_prober_build_info' && s.labels.journey === 'ok')?.labels
        .browser,
    ).toMatch(/^\d+\./);
  });

  it('replaces the group on the next push (counters are per invocation, as documented)', async () => {
    const prober = await run(['ok', '--push', gatewayUrl]);
    expect(prober.child.exitCode).toBe(0);
    const samples = parseMetrics((await text(`${gatewayUrl}/metrics`)).body);
    expect(
      sum(samples, 'synthetic_journey_runs_total', {
        job: 'journey-prober',
        journey: 'ok',
        outcome: 'success',
      }),
    ).toBe(1);
  });

  it('reports a failed push on stderr and keeps the verdict and exit code', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const prober = await run(['ok', '--push', nowhere, '--json']);
    expect(prober.child.exitCode).toBe(0);
    expect(prober.stderr).toMatch(
      new RegExp(`journey-prober: push to ${nowhere.replace(/\./g, '\\.')} failed: .*ECONNREFUSED`),
    );
    expect(JSON.parse(prober.stdout.trim())).toMatchObject({ journey: 'ok', outcome: 'success' });
  });
});
