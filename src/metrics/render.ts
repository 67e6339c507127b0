import { Registry, type RegistryContentType } from 'prom-client';

/** A rendered scrape: the body and the content type it is in. */
export interface Exposition {
  readonly contentType: string;
  readonly body: string;
}

const OPENMETRICS = 'application/openmetrics-text';

/** The q value of each media range in an Accept header (RFC 9110), by type. */
function qualities(accept: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type === undefined || type === '') continue;
    const q = params.find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    out.set(type, Math.max(out.get(type) ?? 0, Number.isFinite(value) ? value : 0));
  }
  return out;
}

/** Whether the scraper prefers OpenMetrics (Prometheus asks for it with a higher q). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const q = qualities(accept);
  const om = q.get(OPENMETRICS) ?? 0;
  if (om <= 0) return false;
  const text = Math.max(q.get('text/plain') ?? 0, q.get('text/*') ?? 0, q.get('*/*') ?? 0);
  return om >= text;
}

/** What prom-client's renderer reads of a metric (its values are left as they are). */
interface MetricData {
  readonly name: string;
  readonly type: string;
}

interface Collectable {
  get(): Promise<MetricData>;
  getForPromString?(): Promise<MetricData>;
}

/** prom-client's per-metric renderer: public in its code, missing from its type definitions. */
interface MetricRenderer {
  getMetricsAsString(metric: Collectable): Promise<string>;
}

/** A renderer of one content type, fed views so the source registry is never changed. */
function renderer(type: RegistryContentType): MetricRenderer {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(type);
  return registry as unknown as MetricRenderer;
}

/**
 * Renders every metric of `source` in one format without touching `source`: prom-client's
 * own `metrics()` renders only its registry's type and, for OpenMetrics, renames counters
 * in place (drops `_total`), which would break the next Prometheus-format scrape. Each
 * metric goes to a renderer of the wanted type through a view carrying the right name:
 * the counter family name without `_total` for OpenMetrics, the full name otherwise.
 */
async function render(source: Registry<RegistryContentType>, openMetrics: boolean): Promise<string> {
  const out = renderer(openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
  const parts: string[] = [];
  for (const metric of source.getMetricsAsArray() as unknown as Collectable[]) {
    const view: Collectable = {
      get: async () => {
        const data = await (metric.getForPromString?.() ?? metric.get());
        const family = data.name.replace(/_total$/, '');
        if (data.type !== 'counter') return data;
        return { ...data, name: openMetrics ? family : `${family}_total` };
      },
    };
    parts.push(await out.getMetricsAsString(view));
  }
  return openMetrics ? `${parts.join('\n')}\n# EOF\n` : `${parts.join('\n\n')}\n`;
}

/** Renders the registry in the format the `Accept` header asks for (exemplars only in OpenMetrics). */
export async function renderMetrics(
  registry: Registry<RegistryContentType>,
  accept: string | undefined,
): Promise<Exposition> {
  const openMetrics = wantsOpenMetrics(accept);
  return {
    contentType: openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE,
    body: await render(registry, openMetrics),
  };
}
