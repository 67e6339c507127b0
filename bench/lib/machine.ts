import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { CHROMIUM_PATH } from './chromium.js';

/** Where and with what the numbers were measured: every result carries it. */
export interface Machine {
  readonly nproc: number;
  readonly memoryGiB: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly playwright: string;
  readonly chromium: string;
  readonly elasticSynthetics?: string;
}

function packageVersion(name: string, from: string): string | undefined {
  try {
    const require = createRequire(from);
    const file = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

export function describeMachine(): Machine {
  const elastic = packageVersion(
    '@elastic/synthetics',
    new URL('../.elastic/package.json', import.meta.url).href,
  );
  return {
    nproc: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    playwright: packageVersion('@playwright/test', import.meta.url) ?? 'unknown',
    chromium: chromiumVersion(),
    ...(elastic === undefined ? {} : { elasticSynthetics: elastic }),
  };
}

/** The 1-minute load average: other engineers' test suites share this machine. */
export function load1(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}
