import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** A Kubernetes object as kustomize would emit it. */
export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

/** What `kubectl kustomize` would refuse: the problem, naming the kustomization. */
export class KustomizeError extends Error {
  override readonly name = 'KustomizeError';
}

const KEYS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'components',
  'configMapGenerator',
  'patches',
  'labels',
  'images',
]);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

function docs(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => {
    if (d.errors.length > 0) throw new KustomizeError(`${path}: ${d.errors[0]!.message}`);
    return d.toJSON() as unknown;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asK8s(value: unknown, where: string): K8sObject {
  const meta = isObject(value) ? value.metadata : undefined;
  if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string')
    throw new KustomizeError(`${where}: a resource without apiVersion and kind`);
  if (!isObject(meta) || typeof meta.name !== 'string' || meta.name === '')
    throw new KustomizeError(`${where}: ${value.kind} without metadata.name`);
  return value as K8sObject;
}

function podTemplate(object: K8sObject): Record<string, unknown> | undefined {
  const spec = object.spec;
  if (!isObject(spec)) return undefined;
  if (isObject(spec.template)) return spec.template;
  const job = isObject(spec.jobTemplate) ? spec.jobTemplate.spec : undefined;
  return isObject(job) && isObject(job.template) ? job.template : undefined;
}

/**
 * A JSON 6902 patch with a `target` (kind and name), of `remove` operations only: each path
 * must exist in exactly one targeted object, as kustomize refuses to remove what is not there.
 */
function applyJson6902(objects: K8sObject[], patch: Record<string, unknown>, file: string): K8sObject[] {
  const target = patch.target as { kind?: unknown; name?: unknown };
  const hits = objects.filter((o) => o.kind === target.kind && o.metadata.name === target.name);
  if (hits.length !== 1)
    throw new KustomizeError(
      `${file}: patch target ${String(target.kind)}/${String(target.name)} matches ${hits.length} objects`,
    );
  const ops: unknown = parse(typeof patch.patch === 'string' ? patch.patch : '');
  if (!Array.isArray(ops)) throw new KustomizeError(`${file}: a JSON 6902 patch is a list of operations`);
  for (const op of ops as Record<string, unknown>[]) {
    if (op.op !== 'remove' || typeof op.path !== 'string')
      throw new KustomizeError(`${file}: only JSON 6902 "remove" operations are checked here`);
    const keys = op.path.split('/').slice(1);
    let parent: unknown = hits[0];
    for (const key of keys.slice(0, -1))
      parent =
        isObject(parent) || Array.isArray(parent) ? (parent as Record<string, unknown>)[key] : undefined;
    const last = keys.at(-1) ?? '';
    if (!(isObject(parent) || Array.isArray(parent)) || !(last in parent))
      throw new KustomizeError(`${file}: cannot remove ${op.path}: it does not exist`);
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  }
  return objects;
}

/**
 * Builds a kustomization the way `kubectl kustomize` does, for the features this
 * repository uses (resources, components, configMapGenerator, `$patch: delete` and JSON 6902
 * `remove` patches,
 * namespace, labels, images); anything else is an error, so the check cannot silently
 * pass over what it does not understand.
 */
export function build(dir: string, expectKind = 'Kustomization'): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new KustomizeError(`${dir}: no kustomization.yaml`);
  const k = docs(file)[0];
  if (!isObject(k)) throw new KustomizeError(`${file}: not a mapping`);
  if (k.kind !== expectKind)
    throw new KustomizeError(`${file}: kind ${String(k.kind)}, expected ${expectKind}`);
  for (const key of Object.keys(k))
    if (!KEYS.has(key)) throw new KustomizeError(`${file}: unknown field ${key}`);
  let objects: K8sObject[] = [];
  for (const resource of (k.resources as string[] | undefined) ?? []) {
    const path = join(dir, resource);
    if (!existsSync(path)) throw new KustomizeError(`${file}: resource ${resource} does not exist`);
    if (statSync(path).isDirectory()) objects.push(...build(path));
    else if (!path.startsWith(dir))
      throw new KustomizeError(`${file}: ${resource} is outside the kustomization`);
    else objects.push(...docs(path).map((d) => asK8s(d, path)));
  }
  for (const generator of (k.configMapGenerator as Record<string, unknown>[] | undefined) ?? []) {
    const name = String(generator.name);
    const data: Record<string, string> = {};
    for (const source of (generator.files as string[] | undefined) ?? []) {
      const path = join(dir, source);
      if (!existsSync(path))
        throw new KustomizeError(`${file}: configMapGenerator file ${source} does not exist`);
      data[basename(source)] = readFileSync(path, 'utf8');
    }
    const existing = objects.findIndex((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
    if (generator.behavior === 'replace') {
      if (existing < 0)
        throw new KustomizeError(`${file}: replaces ConfigMap ${name}, which no resource generates`);
      objects.splice(existing, 1);
    } else if (existing >= 0) throw new KustomizeError(`${file}: ConfigMap ${name} generated twice`);
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
  }
  for (const component of (k.components as string[] | undefined) ?? []) {
    const added = build(join(dir, component), 'Component');
    objects.push(...added.filter((o) => o.kind !== '$delete'));
    for (const gone of added.filter((o) => o.kind === '$delete')) objects = remove(objects, gone, file);
  }
  for (const patch of (k.patches as Record<string, unknown>[] | undefined) ?? []) {
    if (patch.target !== undefined) {
      objects = applyJson6902(objects, patch, file);
      continue;
    }
    const body = docs2(typeof patch.patch === 'string' ? patch.patch : '', file);
    if (body.$patch !== 'delete')
      throw new KustomizeError(`${file}: only \`$patch: delete\` patches are checked here`);
    const target = asK8s(body, file);
    // A component's patch applies to its parent's resources: hand it up.
    if (expectKind === 'Component') objects.push({ ...target, kind: '$delete', deleteKind: target.kind });
    else objects = remove(objects, { ...target, deleteKind: target.kind }, file);
  }
  if (typeof k.namespace === 'string') {
    for (const o of objects)
      if (!CLUSTER_SCOPED.has(o.kind)) o.metadata = { ...o.metadata, namespace: k.namespace };
  }
  for (const entry of (k.labels as Record<string, unknown>[] | undefined) ?? []) {
    const pairs = entry.pairs as Record<string, string>;
    if (entry.includeSelectors === true)
      throw new KustomizeError(`${file}: labels with includeSelectors are not checked here`);
    for (const o of objects) {
      o.metadata = { ...o.metadata, labels: { ...o.metadata.labels, ...pairs } };
      const template = entry.includeTemplates === true ? podTemplate(o) : undefined;
      if (template !== undefined) {
        const meta = (template.metadata ?? {}) as { labels?: Record<string, string> };
        template.metadata = { ...meta, labels: { ...meta.labels, ...pairs } };
      }
    }
  }
  for (const image of (k.images as Record<string, string>[] | undefined) ?? []) {
    for (const o of objects) {
      const spec = podTemplate(o)?.spec;
      for (const c of (isObject(spec) ? (spec.containers as Record<string, unknown>[]) : undefined) ?? []) {
        if (c.image === image.name) c.image = `${image.newName ?? image.name}:${image.newTag ?? 'latest'}`;
      }
    }
  }
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.name}`;
    if (o.kind !== '$delete' && seen.has(key)) throw new KustomizeError(`${file}: ${key} defined twice`);
    seen.add(key);
  }
  // Deep copies: a later overlay must not change the objects an earlier build returned.
  return structuredClone(objects);
}

function docs2(text: string, file: string): Record<string, unknown> {
  const [first] = parseAllDocuments(text).map((d) => d.toJSON() as unknown);
  if (!isObject(first)) throw new KustomizeError(`${file}: a patch that is not a mapping`);
  return first;
}

function remove(objects: K8sObject[], target: Record<string, unknown>, file: string): K8sObject[] {
  const name = (target.metadata as { name: string }).name;
  const kind = String(target.deleteKind);
  const kept = objects.filter((o) => !(o.kind === kind && o.metadata.name === name));
  if (kept.length === objects.length)
    throw new KustomizeError(`${file}: patch deletes ${kind}/${name}, which is not there`);
  return kept;
}

export { isObject, podTemplate };
