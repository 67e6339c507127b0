import { UsageError } from '../config/errors.js';

/** Where `serve` listens. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Outside a container; the Dockerfile sets `PROBER_LISTEN=0.0.0.0:9464`. */
export const DEFAULT_LISTEN = '127.0.0.1:9464';

/** Parses `HOST:PORT` (`[::1]:9464` for IPv6); a bad value is a usage error naming where it came from. */
export function parseListen(value: string, from: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port > 65_535) {
    throw new UsageError(
      `${from} "${value}" must be HOST:PORT with a port from 0 to 65535 (e.g. 127.0.0.1:9464)`,
    );
  }
  return { host: match[1] ?? match[2] ?? '', port };
}

/** The listen address: PROBER_LISTEN, else the config's `listen`, else 127.0.0.1:9464. */
export function resolveListen(env: NodeJS.ProcessEnv, configured: string | undefined): ListenAddress {
  const fromEnv = env.PROBER_LISTEN;
  if (fromEnv !== undefined && fromEnv !== '') return parseListen(fromEnv, 'PROBER_LISTEN');
  if (configured !== undefined) return parseListen(configured, 'config listen');
  return parseListen(DEFAULT_LISTEN, 'default listen');
}
