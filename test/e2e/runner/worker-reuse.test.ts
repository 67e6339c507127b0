import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadJourneys } from '../../../src/journey/loader.js';
import type { Journey, RunResult } from '../../../src/journey/types.js';
import type { BrowserPool } from '../../../src/runner/browser.js';
import { executeRun, startJourneyWorkers, type RunSettings } from '../../../src/scheduler/executor.js';
import { SinkList } from '../../../src/sinks/sink.js';
import { memoryLogger, testPool } from '../helpers/browser.js';

/**
 * Issue 15, isolation by default: a journey worker is reused after a clean run (its modules,
 * journey file and browser connection loaded), and replaced after a run that ended it
 * (a synchronous loop, process.exit) or when journey code fails while it waits (a timer an
 * earlier run left). Each journey writes the thread it ran in to a file.
 */
let dir: string;
let pool: BrowserPool;
let closeWorkers: () => Promise<void>;
const workerLog = memoryLogger('warn');
const journeys = new Map<string, Journey>();

const file = (name: string, body: string, timeoutMs = 20_000): string => `
import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { defineJourney } from 'journey-prober';
export default defineJourney({
  name: '${name}', description: '${name}', steps: ['open'], timeoutMs: ${timeoutMs},
  async run({ page, step }) {
    appendFileSync(${JSON.stringify('THREADS')}, '${name} ' + threadId + '\\n');
    await step('open', async () => {
      await page.setContent('<h1>hello</h1>');
      ${body}
    });
  },
});
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'worker-reuse-'));
  const threads = join(dir, 'threads.txt');
  const write = (name: string, body: string, timeoutMs?: number): void =>
    writeFileSync(
      join(dir, `${name}.journey.ts`),
      file(name, body, timeoutMs).replace('"THREADS"', JSON.stringify(threads)),
    );
  write('plain', '');
  write('other', '');
  write('leaves-timer', `setTimeout(() => { throw new Error('a timer the run left behind'); }, 1_500);`);
  write('exits', `process.exit(0);`);
  write('spins', `for (;;) {}`, 2_000);
  const loaded = await loadJourneys(dir);
  expect([...loaded.problems]).toEqual([]);
  for (const [name, journey] of loaded.journeys) journeys.set(name, journey);
  pool = testPool({ server: true });
  await pool.launch();
  closeWorkers = await startJourneyWorkers(2, workerLog.log);
}, 120_000);

afterAll(async () => {
  await closeWorkers?.();
  await pool?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const log = pino({ level: 'silent' });
const sinks = new SinkList([{ name: 'test', onResult: () => undefined }], log);

async function run(name: string): Promise<RunResult> {
  const settings: RunSettings = {
    browser: pool,
    retries: 0,
    trace: 'off',
    artifactsDir: join(dir, 'artifacts'),
    log,
    isolation: 'worker',
  };
  const ready = {
    target: {
      name: 'local',
      baseUrl: 'http://127.0.0.1:9',
      allowPurchases: true,
      params: {},
      latencyBudgetMs: {},
    } as never,
    accounts: () => Promise.resolve({ email: 'x@example.com' } as never),
  };
  return executeRun(journeys.get(name)!, ready, settings, sinks);
}

/** The thread of each run so far, in order. */
function threads(): { name: string; thread: number }[] {
  return readFileSync(join(dir, 'threads.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [name, thread] = line.split(' ');
      return { name: name!, thread: Number(thread) };
    });
}

it('a clean run gives its worker back: the next runs, of the same file or another, run in it', async () => {
  for (const name of ['plain', 'plain', 'other', 'plain']) expect((await run(name)).outcome).toBe('success');
  const seen = threads().slice(-4);
  expect(seen.every((s) => s.thread > 0)).toBe(true); // never the main thread
  expect(new Set(seen.filter((s) => s.name === 'plain').map((s) => s.thread)).size).toBe(1);
}, 120_000);

it('a worker that process.exit or a synchronous loop ended is never reused', async () => {
  const exited = await run('exits');
  expect([exited.outcome, exited.failure?.class]).toEqual(['error', 'script']);
  const spun = await run('spins');
  expect([spun.outcome, spun.failure?.class]).toEqual(['error', 'script']);
  expect((await run('plain')).outcome).toBe('success');
  const [exits, spins, plain] = threads().slice(-3);
  expect(new Set([exits!.thread, spins!.thread, plain!.thread]).size).toBe(3);
}, 120_000);

it('journey code that fails while its worker waits ends that worker, and is logged', async () => {
  const left = await run('leaves-timer');
  if (left.outcome === 'success') {
    // The timer fired after the run (1.5 s into it): while the worker waited. Bounded: 120 checks of 250 ms (load can slow the log's crossing).
    const logged = (): boolean => workerLog.lines.some((l) => l.includes('a timer the run left behind'));
    for (let i = 0; i < 120 && !logged(); i++) await new Promise((r) => setTimeout(r, 250));
    expect(workerLog.lines.join('')).toMatch(
      /failed after its run had ended.*a timer the run left behind|a timer the run left behind.*failed after its run had ended/,
    );
  } else {
    // A busy machine: the run had not ended yet, so the fault is the run's own.
    expect([left.outcome, left.failure?.class, left.failure?.message]).toEqual([
      'error',
      'script',
      expect.stringContaining('a timer the run left behind'),
    ]);
  }
  expect((await run('plain')).outcome).toBe('success');
  const [timer, plain] = threads().slice(-2);
  expect(timer!.thread).not.toBe(plain!.thread);
}, 120_000);
