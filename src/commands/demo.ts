import type { LoadedConfig } from '../config/load.js';
import type { ScheduleConfig } from '../config/schema.js';
import type { CommandIO } from './run.js';
import type { Banner } from '../sinks/stdout.js';
import { serveCommand, type ServeReady } from './serve.js';

/** The demo's schedule: every journey on the in-process sandbox every 30 s, from the start. */
export const DEMO_SCHEDULE: ScheduleConfig = {
  journey: '*',
  target: 'sandbox',
  cron: '*/30 * * * * *',
  jitterMs: 3_000,
  runOnStart: true,
};

/** The demo's banner: where to look, the sandbox included. */
export function demoBanner(ready: ServeReady): Banner {
  const links: [string, string][] = [];
  if (ready.routes.includes('/')) links.push(['status page', `${ready.url}/`]);
  links.push(['metrics', `${ready.url}/metrics`]);
  const sandbox = ready.targets.get('sandbox')?.sandbox;
  if (sandbox !== undefined) links.push(['sandbox', sandbox.portalUrl], ['payment', sandbox.paymentUrl]);
  return {
    title: `journey-prober demo: probing the sandbox every 30 s with ${ready.schedules.map((s) => s.journey.name).join(', ')} (Ctrl-C stops it)`,
    links,
  };
}

/**
 * `journey-prober demo` (what `npm start` runs): `serve` with the in-process sandbox as
 * target and fast schedules, printing where to look. Everything else comes from the config.
 */
export function demoCommand(config: LoadedConfig, io: CommandIO): Promise<number> {
  return serveCommand({ ...config, schedules: [DEMO_SCHEDULE] }, io, {
    banner: demoBanner,
    // As JSON logs, the URLs are a log line of their own (stdout stays JSON lines).
    onReady: (ready) => {
      if (io.logFormat === 'text') return;
      const banner = demoBanner(ready);
      io.log.info(
        Object.fromEntries(banner.links.map(([label, url]) => [label.replace(' ', '_'), url])),
        banner.title,
      );
    },
  });
}
