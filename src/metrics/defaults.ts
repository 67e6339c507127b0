import { collectDefaultMetrics, type Registry, type RegistryContentType } from 'prom-client';

/**
 * prom-client's default metrics that are gauges named like counters (`_total`): they
 * break `promtool check metrics` and mislead `rate()`, so they are left out.
 */
export const MISNAMED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

/** Process and Node.js runtime metrics (CPU, memory, event-loop lag, GC) on `registry`. */
export function registerDefaultMetrics(registry: Registry<RegistryContentType>): void {
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(name);
}
