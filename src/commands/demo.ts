import type { LoadedConfig } from '../config/load.js';
import type { ScheduleConfig } from '../config/schema.js';
import type { CommandIO } from './run.js';
import { serveCommand, type ServeReady } from './serve.js';

/** The demo's schedule: every journey on the in-process sandbox every 30 s, from the start. */
export const DEMO_SCHEDULE: ScheduleConfig = {
  journey: '*',
  target: 'sandbox',
  cron: '*/30 * * * * *',
  jitterMs: 3_000,
  runOnStart: true,
};

function announce(ready: ServeReady, io: CommandIO): void {
  const lines = [
    `journey-prober demo: probing the sandbox every 30 s (Ctrl-C stops it)`,
    `  metrics:     ${ready.url}/metrics`,
  ];
  if (ready.routes.includes('/')) lines.push(`  status page: ${ready.url}/`);
  const sandbox = ready.targets.get('sandbox')?.sandbox;
  if (sandbox !== undefined)
    lines.push(`  sandbox:     ${sandbox.portalUrl}  (payment origin ${sandbox.paymentUrl})`);
  lines.push(`  journeys:    ${ready.schedules.map((s) => s.journey.name).join(', ')}`);
  io.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * `journey-prober demo` (what `npm start` runs): `serve` with the in-process sandbox as
 * target and fast schedules, printing where to look. Everything else comes from the config.
 */
export function demoCommand(config: LoadedConfig, io: CommandIO): Promise<number> {
  return serveCommand({ ...config, schedules: [DEMO_SCHEDULE] }, io, {
    onReady: (ready) => announce(ready, io),
  });
}
