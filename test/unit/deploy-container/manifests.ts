import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as parsed, with where it came from. */
export interface Manifest {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  // Manifests are untyped YAML: tests walk them with `at()`.
  readonly doc: Record<string, unknown>;
}

/** Every `*.yaml` file under `dir`, recursively, relative to `root`. */
export function yamlFiles(dir: string, root: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path, root);
    return /\.ya?ml$/.test(entry.name) ? [relative(root, path)] : [];
  });
}

/** Parses every document of a YAML file; throws naming the file on a syntax error. */
export function parseYamlFile(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
    return doc.toJS() as unknown;
  });
}

/** The Kubernetes objects (documents with apiVersion and kind) of the given files. */
export function manifests(files: readonly string[], root: string): Manifest[] {
  return files.flatMap((file) =>
    parseYamlFile(join(root, file))
      .filter((doc): doc is Record<string, unknown> => typeof doc === 'object' && doc !== null)
      .filter((doc) => typeof doc.apiVersion === 'string' && typeof doc.kind === 'string')
      .map((doc) => ({ file, kind: String(doc.kind), name: String(at(doc, 'metadata', 'name')), doc })),
  );
}

/** A value at a path of keys and indexes, or undefined. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** `at()` for values that must be arrays of objects. */
export function list(value: unknown, ...path: (string | number)[]): Record<string, unknown>[] {
  const found = at(value, ...path);
  return Array.isArray(found) ? (found as Record<string, unknown>[]) : [];
}

/** `at()` for string maps (labels, selectors). */
export function labels(value: unknown, ...path: (string | number)[]): Record<string, string> {
  const found = at(value, ...path);
  return found !== null && typeof found === 'object' ? (found as Record<string, string>) : {};
}

/** Whether every key/value of `selector` is in `target` (a label selector's matchLabels). */
export function selects(selector: Record<string, string>, target: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => target[k] === v);
}

/** Kubernetes memory quantity (Mi, Gi, M, G, plain bytes) in MiB. */
export function mebibytes(quantity: unknown): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(String(quantity));
  if (!match) throw new Error(`not a memory quantity: ${String(quantity)}`);
  const unit = { Ki: 1 / 1024, Mi: 1, Gi: 1024, K: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576 };
  const factor = match[2] === undefined ? 1 / 1048576 : unit[match[2] as keyof typeof unit];
  return Number(match[1]) * factor;
}
