import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { resolveTargetSpec } from '../../src/config/targets.js';
import { bringUp, type LiveTarget } from '../../src/commands/prepare.js';
import { loadJourneys } from '../../src/journey/loader.js';
import type { Journey } from '../../src/journey/types.js';
import { REDACT_PATHS, type SecretRegistry } from '../../src/log.js';
import { BrowserPool } from '../../src/runner/browser.js';
import { CHROMIUM_PATH } from './chromium.js';

/** bench/journeys: the benchmark journeys (checkout-start, fast). */
export const BENCH_JOURNEYS = fileURLToPath(new URL('../journeys/', import.meta.url));

/** The benchmark's journeys, loaded the way the CLI loads them. */
export async function benchJourneys(): Promise<ReadonlyMap<string, Journey>> {
  const loaded = await loadJourneys(BENCH_JOURNEYS);
  if (loaded.problems.length > 0) {
    throw new Error(`bench journeys: ${loaded.problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`);
  }
  return loaded.journeys;
}

export function journeyNamed(journeys: ReadonlyMap<string, Journey>, name: string): Journey {
  const journey = journeys.get(name);
  if (journey === undefined) throw new Error(`no bench journey "${name}"`);
  return journey;
}

/**
 * A logger that costs what serve's does (JSON at info, redaction by path and by value),
 * written to /dev/null instead of stdout so the terminal is not part of the measurement.
 */
export function serveLikeLogger(secrets: SecretRegistry): Logger {
  return pino(
    {
      level: 'info',
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: (line) => secrets.scrub(line) },
    },
    pino.destination({ dest: '/dev/null', sync: false }),
  );
}

/**
 * The sandbox target on an already running sandbox, with a fresh two-factor sandbox account
 * per run (checkout-start signs in through GitLab.com with a TOTP code).
 */
export async function sandboxTarget(
  baseUrl: string,
  secrets: SecretRegistry,
  log: Logger,
): Promise<LiveTarget> {
  const config = parseConfig({ targets: { sandbox: { accounts: 'sandbox-two-factor' } } }, 'bench');
  return bringUp(resolveTargetSpec(config, 'sandbox', baseUrl), secrets, log, process.env);
}

/** serve's browser pool: one warm Chromium, a fresh context per run; `server` for journey workers. */
export function benchPool(log: Logger, server = false): BrowserPool {
  return new BrowserPool({ executablePath: CHROMIUM_PATH, log, recycleAfterRuns: 0, server });
}
