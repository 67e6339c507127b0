import type { Logger } from 'pino';
import { ArtifactRetention } from '../artifacts/retention.js';
import type { ParsedConfig } from '../config/schema.js';
import { readSecret } from '../config/secrets.js';
import type { SecretRegistry } from '../log.js';
import { BasicAuth } from '../server/basic-auth.js';
import { createStatusHandler, type StatusHandler } from './routes.js';
import { scheduleInfos, type ScheduledSeries } from './schedule-info.js';
import type { RunSource } from './sources.js';

/** The status side of `serve`: its HTTP handler and the artifacts retention. */
export interface ServeStatus {
  /** A fallback handler for the serve router: `/`, `/journeys/…`, `/runs/…`, `/api/runs`, `/artifacts/…`. */
  readonly handler: StatusHandler;
  readonly retention: ArtifactRetention;
  /** The paths it serves, for the start-up banner. */
  readonly paths: readonly string[];
}

export const STATUS_PATHS = ['/', '/journeys/', '/runs/', '/api/runs', '/artifacts/'] as const;

/**
 * Builds the status pages for serve from its config, run history and schedules. With
 * `statusAuth`, the password is read from its environment variable (MissingSecretError,
 * exit 2, when unset) and registered for log redaction. The retention sweeps once here,
 * before the first run; serve sweeps again after each run.
 */
export async function setUpStatus(
  config: Pick<ParsedConfig, 'artifacts' | 'statusAuth'>,
  runs: RunSource,
  schedules: readonly ScheduledSeries[],
  io: { readonly env: NodeJS.ProcessEnv; readonly secrets: SecretRegistry; readonly log: Logger },
): Promise<ServeStatus> {
  let auth: BasicAuth | undefined;
  if (config.statusAuth !== undefined) {
    const password = readSecret(config.statusAuth.passwordEnv, io.env);
    io.secrets.add(password);
    auth = new BasicAuth({ username: config.statusAuth.username, password });
  }
  const retention = new ArtifactRetention({
    root: config.artifacts.dir,
    maxRuns: config.artifacts.maxRuns,
    maxBytes: config.artifacts.maxBytes,
    log: io.log.child({ component: 'artifacts' }),
  });
  await sweepLogged(retention, io.log);
  const handler = createStatusHandler({
    runs,
    artifactsDir: config.artifacts.dir,
    now: () => Date.now(),
    schedules: scheduleInfos(schedules),
    ...(auth ? { auth } : {}),
  });
  return { handler, retention, paths: STATUS_PATHS };
}

/** One retention sweep; a failure is logged, never thrown (evidence keeping must not stop probing). */
export async function sweepLogged(retention: ArtifactRetention, log: Logger): Promise<void> {
  try {
    await retention.sweep();
  } catch (error) {
    log.warn({ err: error instanceof Error ? error.message : String(error) }, 'artifacts retention failed');
  }
}
