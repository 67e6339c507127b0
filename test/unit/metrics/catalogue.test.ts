import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { METRIC_CATALOGUE, createMetrics } from '../../../src/metrics/catalogue.js';
import { SKIP_REASONS } from '../../../src/scheduler/types.js';

/** The catalogue is the one list: the registry, the docs and the skip reasons agree with it. */
describe('the metric catalogue', () => {
  it('createMetrics registers exactly the catalogue: names, types, labels', async () => {
    const registry = new Registry();
    createMetrics(registry, { exemplars: false });
    const registered = (await registry.getMetricsAsJSON()).map((m) => ({ name: m.name, type: m.type }));
    expect(registered.map((m) => m.name).sort()).toEqual(METRIC_CATALOGUE.map((m) => m.name).sort());
    for (const spec of METRIC_CATALOGUE) {
      expect(registered.find((m) => m.name === spec.name)?.type).toBe(spec.type);
      const metric = registry.getSingleMetric(spec.name) as unknown as { labelNames: readonly string[] };
      expect([...metric.labelNames].sort()).toEqual([...spec.labels].sort());
    }
  });

  it('docs/serve.md lists every metric of the catalogue and every skip reason', () => {
    const doc = readFileSync(new URL('../../../docs/serve.md', import.meta.url), 'utf8');
    const missing = METRIC_CATALOGUE.filter((m) => !doc.includes(`\`${m.name}`)).map((m) => m.name);
    expect(missing).toEqual([]);
    for (const reason of SKIP_REASONS) expect(doc).toContain(`\`${reason}\``);
  });
});
