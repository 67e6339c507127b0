import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** The deployed example configuration: its routing is what the end-to-end test exercises. */
export const DEPLOYED_ALERTMANAGER = join(
  import.meta.dirname,
  '../../../deploy/alertmanager/alertmanager.yml',
);

/** The placeholder receiver origin of the deployed example. */
const EXAMPLE_ORIGIN = 'http://127.0.0.1:5001';

/** The deployed file no longer has the shape this derivation relies on. */
export class AlertmanagerConfigShapeError extends Error {
  override readonly name = 'AlertmanagerConfigShapeError';
}

/** Short timings, so notifications and resolutions arrive within seconds. */
export interface TestTimings {
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly resolveTimeout: string;
}

interface Route {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
  [key: string]: unknown;
}

interface Receiver {
  name: string;
  webhook_configs?: { url: string; send_resolved?: boolean }[];
  [key: string]: unknown;
}

interface Config {
  global?: Record<string, unknown>;
  route: Route;
  receivers: Receiver[];
  [key: string]: unknown;
}

function retime(route: Route, timings: TestTimings): void {
  if (route.group_wait !== undefined) route.group_wait = timings.groupWait;
  if (route.group_interval !== undefined) route.group_interval = timings.groupInterval;
  for (const child of route.routes ?? []) retime(child, timings);
}

function redirect(receiver: Receiver, origin: string): void {
  for (const hook of receiver.webhook_configs ?? []) {
    if (!hook.url.startsWith(`${EXAMPLE_ORIGIN}/`)) {
      throw new AlertmanagerConfigShapeError(
        `receiver ${receiver.name}: webhook ${hook.url} is not under ${EXAMPLE_ORIGIN}/`,
      );
    }
    if (hook.send_resolved !== true) {
      throw new AlertmanagerConfigShapeError(`receiver ${receiver.name}: send_resolved is not true`);
    }
    hook.url = `${origin}${hook.url.slice(EXAMPLE_ORIGIN.length)}`;
  }
}

/**
 * The deployed Alertmanager configuration, for a test: the same routes, matchers, grouping,
 * receivers and inhibit rules; only the webhook origin (the test's receiver) and the wait
 * times (seconds instead of minutes) differ. Repeat intervals stay as deployed: a test never
 * lives long enough to see a repeat.
 */
export function testAlertmanagerConfig(
  webhookOrigin: string,
  timings: TestTimings,
  source = readFileSync(DEPLOYED_ALERTMANAGER, 'utf8'),
): string {
  const config = parse(source) as Config;
  if (typeof config.route !== 'object' || !Array.isArray(config.receivers)) {
    throw new AlertmanagerConfigShapeError('no route or no receivers');
  }
  config.global = { ...config.global, resolve_timeout: timings.resolveTimeout };
  if (config.route.group_wait === undefined || config.route.group_interval === undefined) {
    throw new AlertmanagerConfigShapeError('the root route sets no group_wait or group_interval');
  }
  retime(config.route, timings);
  for (const receiver of config.receivers) redirect(receiver, webhookOrigin);
  return stringify(config);
}
