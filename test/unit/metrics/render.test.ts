import { describe, expect, it } from 'vitest';
import {
  setBuildInfo,
  MISNAMED_DEFAULT_METRICS,
  registerDefaultMetrics,
} from '../../../src/metrics/runtime.js';
import { createExemplarRegistry, createMetrics } from '../../../src/metrics/catalogue.js';
import { recordRun, seedSeries } from '../../../src/metrics/record.js';
import { renderMetrics, wantsOpenMetrics } from '../../../src/metrics/render.js';
import { result } from './fixtures.js';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('wantsOpenMetrics', () => {
  it.each([
    [undefined, false],
    ['*/*', false],
    ['text/plain', false],
    [PROMETHEUS_ACCEPT, true],
    ['application/openmetrics-text', true],
    ['text/plain;q=1, application/openmetrics-text;q=0.5', false],
    ['application/openmetrics-text;q=0', false],
  ])('%s → %s', (accept, expected) => {
    expect(wantsOpenMetrics(accept)).toBe(expected);
  });
});

function populated() {
  const registry = createExemplarRegistry();
  const metrics = createMetrics(registry, { exemplars: true });
  seedSeries(metrics, { journey: 'purchase', target: 'sandbox', schedule: '*/5 * * * *' });
  recordRun(metrics, result('failure', { runId: '3f0c1d2e-run' }));
  setBuildInfo(metrics, '156.0.1');
  return { registry, metrics };
}

describe('renderMetrics', () => {
  it('serves OpenMetrics with run-id and trace-id exemplars when asked', async () => {
    const { registry } = populated();
    const { contentType, body } = await renderMetrics(registry, PROMETHEUS_ACCEPT);
    expect(contentType).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    expect(body).toContain('# TYPE synthetic_journey_runs counter\n');
    expect(body).toContain(
      'synthetic_journey_runs_total{journey="purchase",target="sandbox",outcome="failure"} 1\n',
    );
    expect(body).toMatch(
      /synthetic_journey_duration_seconds_bucket\{le="5",journey="purchase",target="sandbox",outcome="failure"\} 1 # \{run_id="3f0c1d2e-run",trace_id="4bf92f3577b34da6a3ce929d0e0e4736"\} 5 \d+/,
    );
    // On the step histogram too; and never as a metric label.
    expect(body).toMatch(
      /synthetic_journey_step_duration_seconds_bucket\{le="1",journey="purchase",target="sandbox",step="sign in"\} 1 # \{run_id="3f0c1d2e-run",trace_id="4bf92f3577b34da6a3ce929d0e0e4736"\} 0\.8 \d+/,
    );
    expect(body.replace(/ # \{[^}]*\}/g, '')).not.toContain('trace_id');
    expect(body.endsWith('# EOF\n')).toBe(true);
  });

  it('serves Prometheus text without exemplars otherwise, the same after an OpenMetrics scrape', async () => {
    const { registry } = populated();
    const before = await renderMetrics(registry, undefined);
    await renderMetrics(registry, PROMETHEUS_ACCEPT);
    const after = await renderMetrics(registry, 'text/plain');
    expect(after.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(after.body).toBe(before.body);
    expect(after.body).toContain('# TYPE synthetic_journey_runs_total counter\n');
    expect(after.body).not.toContain('run_id');
    expect(after.body).not.toContain('trace_id');
    expect(after.body).not.toContain('# EOF');
  });

  it('carries build info with the versions', async () => {
    const { registry } = populated();
    const { body } = await renderMetrics(registry, undefined);
    expect(body).toMatch(
      /journey_prober_build_info\{version="\d+\.\d+\.\d+",playwright="1\.\d+\.\d+",browser="156\.0\.1"\} 1/,
    );
  });

  it('leaves out the default metrics named like counters that are gauges', async () => {
    const registry = createExemplarRegistry();
    registerDefaultMetrics(registry);
    const { body } = await renderMetrics(registry, undefined);
    expect(body).toContain('process_cpu_user_seconds_total');
    for (const name of MISNAMED_DEFAULT_METRICS) expect(body).not.toContain(`${name} `);
  });
});
