import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { build, isObject, KustomizeError, podTemplate, type K8sObject } from './kustomize.js';
import { ROOT } from './tools.js';

/**
 * The check `kubectl kustomize` would make (no kubectl here): every overlay builds, and
 * what it builds is consistent — selectors select, references resolve, a location overlay
 * labels its pods, a StatefulSet knows its replica count.
 */
const K8S = join(ROOT, 'deploy/kubernetes');
const OVERLAYS = readdirSync(join(K8S, 'overlays')).sort();
type Labels = Record<string, string>;

function labelsOf(value: unknown): Labels {
  return isObject(value) && isObject(value.labels) ? (value.labels as Labels) : {};
}
function selects(selector: Labels, labels: Labels): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}
function workloads(objects: readonly K8sObject[]): K8sObject[] {
  return objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
}
function podLabels(o: K8sObject): Labels {
  return labelsOf(podTemplate(o)?.metadata);
}
function podSpec(o: K8sObject): Record<string, unknown> {
  return podTemplate(o)?.spec as Record<string, unknown>;
}
function container(o: K8sObject): Record<string, unknown> {
  return (podSpec(o).containers as Record<string, unknown>[])[0]!;
}
function envOf(o: K8sObject): Labels {
  return Object.fromEntries(
    ((container(o).env as { name: string; value: string }[] | undefined) ?? []).map((e) => [e.name, e.value]),
  );
}
function matchLabels(o: K8sObject): Labels {
  const spec = o.spec as Record<string, unknown>;
  const selector = (spec.selector ?? {}) as Record<string, unknown>;
  return (o.kind === 'Service' ? selector : (selector.matchLabels ?? {})) as Labels;
}

describe('every Kubernetes overlay builds and is consistent', () => {
  it('the overlays are the locations the example Prometheus config and the promtool tests use', () => {
    const locations = new Set(OVERLAYS.map((o) => o.replace(/-replicas$/, '')).filter((o) => o !== 'demo'));
    const prometheus = parse(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { labels?: Labels }[] }[];
    };
    const scraped = new Set(
      prometheus.scrape_configs.flatMap((s) => s.static_configs.map((c) => c.labels?.location ?? '')),
    );
    expect([...scraped].sort()).toEqual([...locations].sort());
    const tests = readFileSync(join(ROOT, 'deploy/prometheus/tests/locations.yml'), 'utf8');
    const inTests = new Set([...tests.matchAll(/location="([^"]+)"/g)].map((m) => m[1]));
    expect([...inTests].sort()).toEqual([...locations].sort());
  });

  it.each(OVERLAYS)('overlays/%s', (overlay) => {
    const objects = build(join(K8S, 'overlays', overlay));
    const [workload, ...more] = workloads(objects);
    expect(more, 'one workload: two would run every journey twice').toEqual([]);
    expect(workload).toBeDefined();
    const pods = podLabels(workload!);
    const location = overlay.replace(/-replicas$/, '');
    expect(pods.location, 'the pods carry the location label').toBe(location);
    expect(selects(matchLabels(workload!), pods), 'the workload selects its pods').toBe(true);
    expect(matchLabels(workload!).location, 'selectors stay location-free (immutable)').toBeUndefined();
    expect(String(container(workload!).image)).toMatch(
      /^registry\.example\.com\/observability\/journey-prober:/,
    );

    // Services, monitors and budgets select the pods.
    const services = objects.filter((o) => o.kind === 'Service');
    for (const s of services) expect(selects(matchLabels(s), pods), s.metadata.name).toBe(true);
    for (const m of objects.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')) {
      const spec = m.spec as {
        selector: { matchLabels: Labels };
        targetLabels?: string[];
        podTargetLabels?: string[];
      };
      const targets = m.kind === 'ServiceMonitor' ? services.map((s) => s.metadata.labels ?? {}) : [pods];
      expect(
        targets.filter((l) => selects(spec.selector.matchLabels, l)),
        `${m.kind} selects one`,
      ).toHaveLength(1);
      expect(spec.targetLabels ?? spec.podTargetLabels).toContain('location');
    }
    // Only Prometheus reaches the port; the monitors scrape with statusAuth's pair, from the
    // Secret the pods read it from, when the overlay's config sets statusAuth (not the demo's).
    const [policy, ...policies] = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies).toEqual([]);
    const policySpec = policy!.spec as {
      podSelector: { matchLabels: Labels };
      policyTypes: string[];
      ingress: { from: { podSelector?: { matchLabels: Labels } }[]; ports: { port: string }[] }[];
    };
    expect(selects(policySpec.podSelector.matchLabels, pods), 'the NetworkPolicy selects the pods').toBe(
      true,
    );
    expect(policySpec.policyTypes).toEqual(['Ingress']);
    expect(policySpec.ingress.flatMap((r) => r.from.map((f) => f.podSelector?.matchLabels))).toEqual([
      { 'app.kubernetes.io/name': 'prometheus' },
    ]);
    expect(policySpec.ingress.flatMap((r) => r.ports.map((p) => p.port))).toEqual(['metrics']);
    const config = parse(
      Object.values(
        (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'journey-prober-config')!.data ??
          {}) as Record<string, string>,
      )[0]!,
    ) as { statusAuth?: { username: string; passwordEnv: string } };
    for (const m of objects.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')) {
      const spec = m.spec as Record<string, { basicAuth?: Record<string, { name: string; key: string }> }[]>;
      const endpoint = (spec.endpoints ?? spec.podMetricsEndpoints)![0]!;
      if (config.statusAuth === undefined) {
        expect(
          endpoint.basicAuth,
          `${overlay}: no statusAuth, no credentials to scrape with`,
        ).toBeUndefined();
        continue;
      }
      expect(envOf(workload!)[`${config.statusAuth.passwordEnv}_FILE`], 'the password is a file').toMatch(
        new RegExp(`/${config.statusAuth.passwordEnv}$`),
      );
      expect(endpoint.basicAuth?.password).toEqual({
        name: 'journey-prober-credentials',
        key: config.statusAuth.passwordEnv,
      });
      expect(endpoint.basicAuth?.username?.name).toBe('journey-prober-credentials');
      const template = parse(readFileSync(join(K8S, 'secret.template.yaml'), 'utf8')) as {
        stringData: Labels;
      };
      expect(template.stringData[endpoint.basicAuth!.username!.key], 'the user name').toBe(
        config.statusAuth.username,
      );
    }
    // Every ConfigMap a pod mounts is generated; every namespaced object is in the namespace.
    const configMaps = new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
    for (const volume of (podSpec(workload!).volumes as Record<string, Record<string, string>>[]) ?? []) {
      if (volume.configMap !== undefined) expect(configMaps).toContain(volume.configMap.name);
    }
    const namespaces = new Set(objects.map((o) => o.metadata.namespace));
    expect(namespaces.size).toBe(1);
    expect([...namespaces][0]).toMatch(/^journey-prober/);

    if (workload!.kind === 'StatefulSet') {
      const spec = workload!.spec as { replicas: number; serviceName: string };
      expect(envOf(workload!).PROBER_SHARDS, 'PROBER_SHARDS = replicas').toBe(String(spec.replicas));
      expect(
        services.map((x) => x.metadata.name),
        'its governing Service',
      ).toContain(spec.serviceName);
      const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget');
      expect(pdb, 'a PodDisruptionBudget').toBeDefined();
      expect(selects(matchLabels(pdb!), pods)).toBe(true);
      expect((pdb!.spec as { maxUnavailable: number }).maxUnavailable).toBe(1);
      const affinity = JSON.stringify(podSpec(workload!).affinity);
      expect(affinity).toContain('topology.kubernetes.io/zone');
      expect(affinity).toContain('kubernetes.io/hostname');
    } else {
      expect(envOf(workload!).PROBER_SHARDS, 'one replica runs every schedule').toBeUndefined();
    }
  });

  it("the StatefulSet's pod is the base Deployment's, but for sharding and spreading", () => {
    const [deployment] = workloads(build(join(K8S, 'base')));
    const [statefulSet] = workloads(build(join(K8S, 'overlays/us-east-replicas')));
    const strip = (o: K8sObject): unknown => {
      const template = structuredClone(podTemplate(o)) as Record<string, Record<string, unknown>>;
      delete template.spec!.affinity;
      delete template.spec!.topologySpreadConstraints;
      const c = (template.spec!.containers as Record<string, unknown>[])[0]!;
      c.env = (c.env as { name: string }[]).filter((e) => e.name !== 'PROBER_SHARDS');
      delete (template.metadata!.labels as Labels).location;
      return template;
    };
    expect(strip(statefulSet!)).toEqual(strip(deployment!));
  });

  it('refuses what kubectl would refuse', () => {
    expect(() => build(join(K8S, 'overlays/none'))).toThrow(KustomizeError);
    expect(() => build(join(K8S, 'components/replicas'))).toThrow(/kind Component, expected Kustomization/);
  });
});
