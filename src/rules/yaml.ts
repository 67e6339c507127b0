/** A value the emitter writes: what rule files, Alertmanager and provisioning files hold. */
export type YamlValue =
  string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./:-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;
// Numbers, and YAML 1.1 sexagesimals such as 1:30, would not read back as strings.
const NUMERIC = /^[-+.]?[0-9][0-9_.:eExXoObB+-]*$/;

function scalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (PLAIN.test(value) && !RESERVED.test(value) && !NUMERIC.test(value)) return value;
  // A JSON string is a valid YAML double-quoted scalar.
  return JSON.stringify(value);
}

function isMap(value: YamlValue): value is { readonly [key: string]: YamlValue } {
  return typeof value === 'object' && !Array.isArray(value);
}

function block(text: string, indent: string): string {
  return `|-\n${text
    .split('\n')
    .map((line) => (line === '' ? '' : indent + line))
    .join('\n')}`;
}

function entry(prefix: string, value: YamlValue, indent: string): string {
  if (typeof value === 'string' && value.includes('\n')) return `${prefix} ${block(value, indent + '  ')}`;
  if (Array.isArray(value)) {
    return value.length === 0 ? `${prefix} []` : `${prefix}\n${list(value, indent)}`;
  }
  if (isMap(value)) {
    return Object.keys(value).length === 0 ? `${prefix} {}` : `${prefix}\n${map(value, indent + '  ')}`;
  }
  return `${prefix} ${scalar(value as string | number | boolean)}`;
}

function map(value: { readonly [key: string]: YamlValue }, indent: string): string {
  return Object.entries(value)
    .map(([key, item]) => entry(`${indent}${scalar(key)}:`, item, indent))
    .join('\n');
}

function list(items: readonly YamlValue[], indent: string): string {
  return items
    .map((item) => {
      if (isMap(item) && Object.keys(item).length > 0) {
        // The first key shares the line with the dash; the rest align under it.
        return `${indent}- ${map(item, indent + '  ').slice(indent.length + 2)}`;
      }
      if (Array.isArray(item) && item.length > 0) return `${indent}-\n${list(item, indent + '  ')}`;
      return entry(`${indent}-`, item, indent);
    })
    .join('\n');
}

/**
 * Writes a value as block-style YAML: keys in insertion order, multi-line strings as
 * literal blocks (PromQL stays readable), anything not obviously plain double-quoted.
 */
export function toYaml(value: { readonly [key: string]: YamlValue }, header = ''): string {
  return `${header}${map(value, '')}\n`;
}
