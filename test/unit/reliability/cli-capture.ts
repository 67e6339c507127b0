import { vi } from 'vitest';
import { main } from '../../../src/cli.js';

/** What one in-process CLI invocation gave. */
export interface CliOutcome {
  readonly code: number;
  readonly stderr: string;
  readonly stdout: string;
}

/**
 * Bound on one invocation: a hang is a failure, not a stuck suite. The first invocation that
 * loads the journey files (Playwright's import and their transform) took 12.9 s on this
 * machine at a load average of 58; the bound leaves room for that and stays under the
 * unit project's 20 s test timeout, so a hang still ends here, with its command line.
 */
export const CLI_TIMEOUT_MS = 18_000;

/**
 * Runs the CLI's `main()` in this process (what `bin/journey-prober.js` calls, minus
 * `process.exit`), capturing what it writes through process.stdout/stderr, bounded in time.
 */
export async function runCli(argv: readonly string[]): Promise<CliOutcome> {
  let stderr = '';
  let stdout = '';
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await Promise.race([
      main(argv, controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new Error('fuzz timeout'));
          reject(new Error(`CLI hung for ${CLI_TIMEOUT_MS} ms on ${JSON.stringify(argv)}`));
        }, CLI_TIMEOUT_MS);
      }),
    ]);
    return { code, stderr, stdout };
  } finally {
    clearTimeout(timer);
    errSpy.mockRestore();
    outSpy.mockRestore();
  }
}
