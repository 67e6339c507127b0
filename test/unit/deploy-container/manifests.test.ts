import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { configSchema } from '../../../src/config/schema.js';
import { targetSpecs } from '../../../src/config/targets.js';
import { checkSecrets } from '../../../src/commands/prepare.js';
import { defineJourney } from '../../../src/journey/define.js';
import { SecretRegistry } from '../../../src/log.js';
import { statusAuth } from '../../../src/server/auth.js';
import { parseCliArgs } from './cli-args.js';
import { all, parseDockerfile, stageEnv } from './dockerfile.js';
import {
  at,
  labels,
  list,
  manifests,
  mebibytes,
  parseYamlFile,
  selects,
  yamlFiles,
  type Manifest,
} from './manifests.js';

const ROOT = join(import.meta.dirname, '../../..');
const K8S = 'deploy/kubernetes';
const files = yamlFiles(join(ROOT, K8S), ROOT);
const objects = manifests(files, ROOT);
const runtime = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).at(-1)!;
const listenPort = Number(stageEnv(runtime).PROBER_LISTEN?.split(':').at(-1));
const imageUid = Number(all(runtime, 'USER').at(-1)?.args.split(':')[0]);
function one(kind: string, file?: string): Manifest {
  const found = objects.filter((o) => o.kind === kind && (file === undefined || o.file.startsWith(file)));
  expect(
    found.map((o) => o.file),
    `exactly one ${kind}`,
  ).toHaveLength(1);
  return found[0]!;
}

function podSpecs(): { owner: Manifest; pod: unknown; template: unknown }[] {
  return objects.flatMap((o) => {
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet')
      return [
        { owner: o, pod: at(o.doc, 'spec', 'template', 'spec'), template: at(o.doc, 'spec', 'template') },
      ];
    if (o.kind === 'CronJob') {
      const template = at(o.doc, 'spec', 'jobTemplate', 'spec', 'template');
      return [{ owner: o, pod: at(template, 'spec'), template }];
    }
    return [];
  });
}

function env(container: unknown): Record<string, string> {
  return Object.fromEntries(list(container, 'env').map((e) => [String(e.name), String(e.value)]));
}

/** The configMapGenerator file behind a ConfigMap name, from the kustomization next to `file`. */
function generatedConfig(file: string, name: string): string {
  const kustomization = parseYamlFile(join(ROOT, dirname(file), 'kustomization.yaml'))[0];
  const generator = list(kustomization, 'configMapGenerator').find((g) => g.name === name);
  expect(generator, `${file}: configMapGenerator ${name}`).toBeDefined();
  return join(dirname(file), String(list(generator, 'files')[0] ?? at(generator, 'files', 0)));
}

describe('Kubernetes manifests', () => {
  it('parse, and every document is a Kubernetes object or a kustomization', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      for (const doc of parseYamlFile(join(ROOT, file))) {
        if (file.endsWith('journey-prober.config.yaml')) continue;
        expect(at(doc, 'apiVersion'), `${file}: apiVersion`).toEqual(expect.any(String));
        expect(at(doc, 'kind'), `${file}: kind`).toEqual(expect.any(String));
      }
    }
  });

  it('kustomizations reference files that exist; region overlays label their location', () => {
    const kustomizations = files.filter((f) => f.endsWith('kustomization.yaml'));
    expect(kustomizations.length).toBeGreaterThanOrEqual(5);
    for (const file of kustomizations) {
      const doc = parseYamlFile(join(ROOT, file))[0];
      const dir = join(ROOT, dirname(file));
      for (const resource of (at(doc, 'resources') as string[] | undefined) ?? []) {
        const path = join(dir, resource);
        expect(existsSync(path), `${file}: resource ${resource}`).toBe(true);
        if (statSync(path).isDirectory()) expect(existsSync(join(path, 'kustomization.yaml'))).toBe(true);
      }
      for (const generator of list(doc, 'configMapGenerator')) {
        for (const source of (generator.files as string[] | undefined) ?? []) {
          expect(existsSync(join(dir, source)), `${file}: ${source}`).toBe(true);
        }
      }
    }
    for (const region of ['us-east', 'eu-west']) {
      const doc = parseYamlFile(join(ROOT, K8S, 'overlays', region, 'kustomization.yaml'))[0];
      const pairs = list(doc, 'labels').find((l) => labels(l, 'pairs').location === region);
      expect(pairs, `${region}: location label`).toBeDefined();
      expect(pairs?.includeTemplates, `${region}: the pods carry it`).toBe(true);
      expect(pairs?.includeSelectors, `${region}: selectors unchanged`).toBe(false);
    }
  });

  it('every config file is valid for the real schema and names known targets', () => {
    const configs = files.filter((f) => f.endsWith('journey-prober.config.yaml'));
    // The base's and the demo's (the CronJob mode and its config were removed: docs/deploy.md).
    expect(configs.length).toBeGreaterThanOrEqual(2);
    for (const file of configs) {
      const config = loadConfig(join(ROOT, file), {});
      const known = targetSpecs(config);
      for (const schedule of config.schedules)
        expect(known.has(schedule.target), `${file}: ${schedule.target}`).toBe(true);
      expect(config.artifacts.dir.startsWith('/data/'), `${file}: artifacts on /data`).toBe(true);
      expect(config.results.path.startsWith('/data/'), `${file}: results on /data`).toBe(true);
    }
  });

  it("the Deployment serves on the image's listen port with /healthz and /readyz probes", async () => {
    const deployment = one('Deployment');
    const pod = at(deployment.doc, 'spec', 'template', 'spec');
    const container = list(pod, 'containers')[0]!;
    expect((await parseCliArgs(container.args as string[])).command).toBe('serve');
    const port = list(container, 'ports').find((p) => p.name === 'metrics');
    expect(port?.containerPort).toBe(listenPort);
    expect(listenPort).toBe(9464);
    expect(env(container).PROBER_LISTEN).toBe(`0.0.0.0:${listenPort}`);
    for (const [probe, path] of [
      ['startupProbe', '/healthz'],
      ['livenessProbe', '/healthz'],
      ['readinessProbe', '/readyz'],
    ] as const) {
      expect(at(container, probe, 'httpGet', 'path'), probe).toBe(path);
      expect(at(container, probe, 'httpGet', 'port'), probe).toBe('metrics');
    }
    expect(at(deployment.doc, 'spec', 'replicas')).toBe(1);
    expect(at(deployment.doc, 'spec', 'strategy', 'type'), 'never two probers on one account').toBe(
      'Recreate',
    );
  });

  it("gives a grace period above the prober's shutdownGraceMs", () => {
    const defaultGrace = configSchema.parse({}).shutdownGraceMs;
    const deployment = one('Deployment');
    const grace =
      Number(at(deployment.doc, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds')) * 1000;
    const volume = list(deployment.doc, 'spec', 'template', 'spec', 'volumes').find(
      (v) => v.name === 'config',
    );
    const config = loadConfig(
      join(ROOT, generatedConfig(deployment.file, String(at(volume, 'configMap', 'name')))),
      {},
    );
    expect(grace).toBeGreaterThan(defaultGrace);
    expect(grace).toBeGreaterThan(config.shutdownGraceMs);
  });

  it('sizes memory from the measured browser footprint and the configured concurrency', () => {
    const deployment = one('Deployment');
    const container = list(deployment.doc, 'spec', 'template', 'spec', 'containers')[0];
    const volume = list(deployment.doc, 'spec', 'template', 'spec', 'volumes').find(
      (v) => v.name === 'config',
    );
    const config = loadConfig(
      join(ROOT, generatedConfig(deployment.file, String(at(volume, 'configMap', 'name')))),
      {},
    );
    // NOTES-debian.md: ~400 MB idle, ~+100 MB per concurrent context at most.
    const measured = (400 + 100 * config.concurrency) * (1e6 / 1048576);
    expect(mebibytes(at(container, 'resources', 'requests', 'memory'))).toBeGreaterThanOrEqual(measured);
    expect(mebibytes(at(container, 'resources', 'limits', 'memory'))).toBeGreaterThan(measured * 1.5);
  });

  it('runs every pod non-root, read-only, without capabilities, with writable /tmp and /data', () => {
    const pods = podSpecs();
    // The Deployment and the replicas' StatefulSet (the per-journey CronJobs were removed).
    expect(pods.map((p) => p.owner.kind).sort()).toEqual(['Deployment', 'StatefulSet']);
    for (const { owner, pod } of pods) {
      const where = `${owner.kind} ${owner.name}`;
      expect(at(pod, 'securityContext', 'runAsNonRoot'), where).toBe(true);
      expect(at(pod, 'securityContext', 'runAsUser'), `${where}: the image's uid`).toBe(imageUid);
      expect(at(pod, 'automountServiceAccountToken'), where).toBe(false);
      const container = list(pod, 'containers')[0]!;
      expect(at(container, 'securityContext', 'readOnlyRootFilesystem'), where).toBe(true);
      expect(at(container, 'securityContext', 'allowPrivilegeEscalation'), where).toBe(false);
      expect(at(container, 'securityContext', 'capabilities', 'drop'), where).toEqual(['ALL']);
      const mounts = list(container, 'volumeMounts');
      const volumes = list(pod, 'volumes');
      for (const path of ['/tmp', '/data']) {
        const mount = mounts.find((m) => m.mountPath === path);
        expect(mount, `${where}: ${path} mounted`).toBeDefined();
        expect(mount?.readOnly, `${where}: ${path} writable`).not.toBe(true);
        expect(
          volumes.find((v) => v.name === mount?.name),
          `${where}: ${path} volume`,
        ).toBeDefined();
      }
      expect(env(container).PROBER_CONFIG?.startsWith('/config/'), where).toBe(true);
      expect(mounts.find((m) => m.mountPath === '/config')?.readOnly, where).toBe(true);
    }
  });

  it('reads portal credentials from files of a Secret whose template has every key', () => {
    const template = one('Secret');
    const keys = Object.keys(labels(template.doc, 'stringData'));
    for (const name of ['STAGING', 'PRODUCTION']) {
      expect(keys).toEqual(expect.arrayContaining([`PROBER_${name}_EMAIL`, `PROBER_${name}_PASSWORD`]));
    }
    expect(
      files.some((f) =>
        (parseYamlFile(join(ROOT, f))[0] as { resources?: string[] })?.resources?.some((r) =>
          r.includes('secret'),
        ),
      ),
    ).toBe(false);
    for (const { owner, pod } of podSpecs()) {
      const container = list(pod, 'containers')[0]!;
      const secretVolume = list(pod, 'volumes').find((v) => at(v, 'secret', 'secretName') === template.name);
      expect(secretVolume, `${owner.name}: mounts ${template.name}`).toBeDefined();
      const mount = list(container, 'volumeMounts').find((m) => m.name === secretVolume?.name);
      const fileVars = Object.entries(env(container)).filter(([k]) => k.endsWith('_FILE'));
      expect(fileVars.length, owner.name).toBeGreaterThanOrEqual(2);
      for (const [name, value] of fileVars) {
        expect(value, name).toBe(`${String(mount?.mountPath)}/${name.replace(/_FILE$/, '')}`);
        expect(keys, name).toContain(name.replace(/_FILE$/, ''));
      }
      expect(
        Object.keys(env(container)).filter((k) => /PASSWORD$/.test(k)),
        'no password in plain env',
      ).toEqual([]);
    }
  });

  it("every secret the base config's schedules need is a file the pods are given", () => {
    // The real start-up checks, with each pod's *_FILE variables pointing at files that exist:
    // a variable no manifest sets (a crash loop at start) fails here.
    const config = loadConfig(join(ROOT, K8S, 'base/journey-prober.config.yaml'), {});
    const specs = targetSpecs(config);
    const journeys = (['none', 'active', 'renewable'] as const).map((accountState) =>
      defineJourney({
        name: `pays-${accountState}`,
        description: 'd',
        accountState,
        cardSubmissions: 1,
        run: async () => {},
      }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'manifest-secrets-'));
    for (const { owner, pod } of podSpecs()) {
      const container = list(pod, 'containers')[0]!;
      const podEnv: NodeJS.ProcessEnv = {};
      for (const [name] of Object.entries(env(container)).filter(([k]) => k.endsWith('_FILE'))) {
        const file = join(dir, name);
        writeFileSync(file, 'value-1234\n');
        podEnv[name] = file;
      }
      for (const target of new Set(config.schedules.map((sc) => sc.target))) {
        expect(
          () => checkSecrets(specs.get(target)!, journeys, podEnv),
          `${owner.name}: ${target}`,
        ).not.toThrow();
      }
      expect(() => statusAuth(config, podEnv, new SecretRegistry()), owner.name).not.toThrow();
    }
  });

  it('the Service exposes the metrics port; the ServiceMonitor and PodMonitor select it', () => {
    const deployment = one('Deployment');
    const podLabels = labels(deployment.doc, 'spec', 'template', 'metadata', 'labels');
    const containerPorts = list(deployment.doc, 'spec', 'template', 'spec', 'containers', 0, 'ports').map(
      (p) => p.name,
    );
    const service = one('Service');
    expect(selects(labels(service.doc, 'spec', 'selector'), podLabels)).toBe(true);
    expect(selects(labels(deployment.doc, 'spec', 'selector', 'matchLabels'), podLabels)).toBe(true);
    const servicePorts = list(service.doc, 'spec', 'ports');
    expect(servicePorts.map((p) => p.targetPort).every((t) => containerPorts.includes(t))).toBe(true);

    const monitor = one('ServiceMonitor');
    expect(
      selects(
        labels(monitor.doc, 'spec', 'selector', 'matchLabels'),
        labels(service.doc, 'metadata', 'labels'),
      ),
    ).toBe(true);
    for (const endpoint of list(monitor.doc, 'spec', 'endpoints')) {
      expect(servicePorts.map((p) => p.name)).toContain(endpoint.port);
      expect(endpoint.path).toBe('/metrics');
    }
    expect(at(monitor.doc, 'spec', 'targetLabels')).toContain('location');

    const podMonitor = one('PodMonitor');
    expect(selects(labels(podMonitor.doc, 'spec', 'selector', 'matchLabels'), podLabels)).toBe(true);
    for (const endpoint of list(podMonitor.doc, 'spec', 'podMetricsEndpoints')) {
      expect(containerPorts).toContain(endpoint.port);
      expect(endpoint.path).toBe('/metrics');
    }
    expect(at(podMonitor.doc, 'spec', 'podTargetLabels')).toContain('location');
  });
});
