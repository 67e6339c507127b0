import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { BrowserPool, resolveBrowserPath, type BrowserPoolOptions } from '../../../src/runner/browser.js';

/** A logger that keeps every line in memory, so a test can grep logs (e.g. for secrets). */
export function memoryLogger(level: pino.LevelWithSilent = 'debug'): {
  readonly log: Logger;
  readonly lines: string[];
} {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: pino({ level }, sink), lines };
}

/** A silent logger for tests that do not look at logs. */
export const silentLogger = (): Logger => pino({ level: 'silent' });

/**
 * A BrowserPool on the machine's Chromium (resolveBrowserPath()). Share one per test
 * file: create it in `beforeAll`, `close()` it in `afterAll`.
 */
export function testPool(options: Partial<BrowserPoolOptions> = {}): BrowserPool {
  return new BrowserPool({ executablePath: resolveBrowserPath().path, log: silentLogger(), ...options });
}

/** true while a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
