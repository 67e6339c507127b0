import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { collectDefaultMetrics, type Registry, type RegistryContentType } from 'prom-client';
import type { ProberMetrics } from './catalogue.js';

// The prober's own process on the registry: what it is (build info) and how it is doing (Node's runtime metrics).

const require = createRequire(import.meta.url);

function versionOf(packageJson: string): string {
  try {
    const parsed = JSON.parse(readFileSync(require.resolve(packageJson), 'utf8')) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The prober's version (package.json) and Playwright's. */
export function buildVersions(): { readonly version: string; readonly playwright: string } {
  return {
    version: versionOf('../../package.json'),
    playwright: versionOf('@playwright/test/package.json'),
  };
}

/**
 * Sets `journey_prober_build_info` to 1 for these versions, replacing an earlier series
 * (the browser version is known only once the browser launched, and changes on upgrade).
 */
export function setBuildInfo(metrics: ProberMetrics, browser: string | undefined): void {
  metrics.buildInfo.reset();
  metrics.buildInfo.set({ ...buildVersions(), browser: browser ?? 'unknown' }, 1);
}

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
