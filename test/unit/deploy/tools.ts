import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../../..');

const PACKAGES: Record<string, string> = {
  promtool: 'prometheus',
  amtool: 'prometheus-alertmanager',
};

export interface ToolResult {
  readonly code: number;
  readonly output: string;
}

/** A Prometheus tool that is not installed: the tests fail, they do not skip. */
export class MissingToolError extends Error {
  override readonly name = 'MissingToolError';
}

/**
 * Runs promtool / amtool / node with a timeout; resolves with the exit code and the
 * combined output, so a failing check shows promtool's own explanation.
 */
export function run(
  command: string,
  args: readonly string[],
  cwd = ROOT,
  timeoutMs = 30_000,
): Promise<ToolResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error === null) return resolvePromise({ code: 0, output });
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          const pkg = PACKAGES[command];
          return reject(
            new MissingToolError(
              `${command} not found on PATH: install Debian's \`${pkg ?? command}\` package (apt-get install ${pkg ?? command})`,
            ),
          );
        }
        if (error.killed)
          return reject(new Error(`${command} ${args.join(' ')} timed out after ${timeoutMs} ms`));
        resolvePromise({ code: typeof error.code === 'number' ? error.code : 1, output });
      },
    );
  });
}

/** A temporary directory, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
