import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ProberMetrics } from './catalogue.js';

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
