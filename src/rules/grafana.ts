/** Small builders for Grafana dashboard JSON (schema 39), so panels read as data. */

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** One query of a panel. */
export interface Query {
  readonly expr: string;
  readonly legend?: string;
  /** `heatmap` for bucket queries, `table` for instant tables. */
  readonly format?: 'time_series' | 'heatmap' | 'table';
  readonly instant?: boolean;
}

/** A panel before layout. */
export interface PanelSpec {
  readonly title: string;
  readonly type: 'timeseries' | 'stat' | 'heatmap' | 'table' | 'bargauge';
  readonly description: string;
  readonly queries: readonly Query[];
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  /** Red below (or above, with `above`) this value. */
  readonly threshold?: { readonly value: number; readonly above?: boolean };
  readonly width?: number;
  readonly height?: number;
}

function thresholds(spec: PanelSpec): Json {
  if (spec.threshold === undefined) return { mode: 'absolute', steps: [{ color: 'green', value: null }] };
  const [below, over] = spec.threshold.above ? ['green', 'red'] : ['red', 'green'];
  return {
    mode: 'absolute',
    steps: [
      { color: below, value: null },
      { color: over, value: spec.threshold.value },
    ],
  };
}

function target(query: Query, index: number): Json {
  return {
    datasource: DATASOURCE,
    refId: String.fromCharCode(65 + index),
    expr: query.expr,
    legendFormat: query.legend ?? '__auto',
    format: query.format ?? 'time_series',
    instant: query.instant ?? false,
    range: !(query.instant ?? false),
  };
}

/** The panel's JSON at a grid position. */
export function panel(spec: PanelSpec, id: number, x: number, y: number): Json {
  const defaults: Record<string, Json> = { unit: spec.unit ?? 'short', thresholds: thresholds(spec) };
  if (spec.min !== undefined) defaults.min = spec.min;
  if (spec.max !== undefined) defaults.max = spec.max;
  if (spec.type === 'timeseries' && spec.threshold !== undefined) {
    defaults.custom = { thresholdsStyle: { mode: 'line' } };
  }
  return {
    id,
    type: spec.type,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos: { h: spec.height ?? 8, w: spec.width ?? 12, x, y },
    targets: spec.queries.map(target),
    fieldConfig: { defaults, overrides: [] },
    options:
      spec.type === 'heatmap'
        ? { calculate: false, yAxis: { unit: spec.unit ?? 's' }, cellGap: 1 }
        : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true } },
  };
}

/** A collapsible row header. */
export function row(title: string, id: number, y: number): Json {
  return { id, type: 'row', title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] };
}

/** A query variable over label values, multi-select with "All". */
export function labelVariable(name: string, label: string, query: string): Json {
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    query: { query, refId: `${name}-values` },
    definition: query,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 1,
  };
}
