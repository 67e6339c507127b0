import { stringify } from 'yaml';

/** A value the emitter writes: what rule files, Alertmanager and provisioning files hold. */
export type YamlValue =
  string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/**
 * Writes a value as block-style YAML: keys in insertion order, multi-line strings as
 * literal blocks (PromQL stays readable), lists at their key's indentation, no line folding.
 * YAML 1.1 quoting, as Prometheus' and Alertmanager's parser reads it: `yes`, `on` and
 * sexagesimals such as `1:30` stay strings.
 */
export function toYaml(value: { readonly [key: string]: YamlValue }, header = ''): string {
  const text = stringify(value, { version: '1.1', indentSeq: false, lineWidth: 0, blockQuote: 'literal' });
  return `${header}${text}`;
}
