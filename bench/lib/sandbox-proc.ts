import { fileURLToPath } from 'node:url';
import { startChild, type LongChild } from './children.js';

/** The repository root (bench/lib/../..). */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = `${REPO}bin/journey-prober.js`;

/** The sandbox in a process of its own, so its work is never counted as a contestant's CPU. */
export interface SandboxProcess {
  readonly portalUrl: string;
  /** The sandbox's GitLab.com origin (its third line). */
  readonly gitlabUrl: string;
  readonly child: LongChild;
  /** Clears faults and the request log (between benchmarks). */
  reset(): Promise<void>;
  setFaults(faults: readonly object[]): Promise<void>;
  stop(): Promise<void>;
}

async function call(url: string, method: string, body?: unknown): Promise<void> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
}

export async function startSandboxProcess(): Promise<SandboxProcess> {
  const child = startChild(process.execPath, [CLI, 'sandbox', '--port', '0'], {
    cwd: REPO,
    env: { ...process.env, PROBER_LOG_LEVEL: 'warn' },
  });
  let portalUrl: string;
  let gitlabUrl: string;
  try {
    portalUrl = await child.waitForLine((l) => l.startsWith('http://'), 60_000);
    // Its first three lines: the portal's URL, the payment origin's, GitLab.com's.
    await child.waitForLine(() => child.lines.filter((l) => l.startsWith('http://')).length >= 3, 10_000);
    gitlabUrl = child.lines.filter((l) => l.startsWith('http://'))[2]!;
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    portalUrl,
    gitlabUrl,
    child,
    reset: () => call(`${portalUrl}/__sandbox/faults`, 'DELETE'),
    setFaults: (faults) => call(`${portalUrl}/__sandbox/faults`, 'PUT', faults),
    stop: () => child.stop(),
  };
}
