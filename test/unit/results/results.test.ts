import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { defineJourney } from '../../../src/journey/define.js';
import type { RunResult } from '../../../src/journey/types.js';
import { ResultsLog, ResultsWriteError, readResults } from '../../../src/results/log.js';
import { RunHistory, openResults, resultsSink, type RunResults } from '../../../src/results/results.js';
import { result } from '../metrics/fixtures.js';

const silent = pino({ level: 'silent' });
const dirs: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prober-results-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const run = (i: number, overrides: Partial<RunResult> = {}): RunResult =>
  result(i % 3 === 0 ? 'failure' : 'success', { runId: `run-${i}`, journey: i % 2 === 0 ? 'purchase' : 'renewal', ...overrides });

describe('ResultsLog', () => {
  it('appends one JSON line per run, creating directories, and reads them back in order', async () => {
    const path = join(tmp(), 'deep', 'runs.jsonl');
    const log = new ResultsLog({ path, maxBytes: 1_000_000 });
    await Promise.all([1, 2, 3].map((i) => log.append(run(i))));
    await log.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as RunResult).runId)).toEqual(['run-1', 'run-2', 'run-3']);
    const back = await readResults(path, 2, 100);
    expect(back).toMatchObject({ dropped: 0, read: 3 });
    expect(back.results[2]).toEqual(run(3));
  });

  it('rotates by size, keeps a bounded number of rotated files, and reads across them', async () => {
    const path = join(tmp(), 'runs.jsonl');
    const same = (i: number) => result('success', { runId: `run-${i}` }); // equal sizes: 3 lines per file
    const size = Buffer.byteLength(`${JSON.stringify(same(10))}\n`);
    const log = new ResultsLog({ path, maxBytes: size * 3, keepRotated: 2 });
    for (let i = 10; i < 22; i++) await log.append(same(i));
    await log.close();
    expect(statSync(path).size).toBeLessThanOrEqual(size * 3);
    expect(existsSync(`${path}.1`)).toBe(true);
    expect(existsSync(`${path}.2`)).toBe(true);
    expect(existsSync(`${path}.3`)).toBe(false);
    const back = await readResults(path, 2, 100);
    // 12 runs written, 3 per file, 3 files kept: the oldest 3 rotated away.
    expect(back.results.map((r) => r.runId)).toEqual([13, 14, 15, 16, 17, 18, 19, 20, 21].map((i) => `run-${i}`));
  });

  it('reports every failed write as a one-line ResultsWriteError', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'blocker'), 'a file where a directory should be');
    const log = new ResultsLog({ path: join(dir, 'blocker', 'runs.jsonl'), maxBytes: 1_000 });
    await expect(log.append(run(1))).rejects.toBeInstanceOf(ResultsWriteError);
    await expect(log.append(run(2))).rejects.toThrow(/^cannot append to .*blocker\/runs\.jsonl: E[A-Z]+$/);
    await log.close();
  });
});

describe('reading back a damaged log', () => {
  it('skips and counts corrupted lines and a line cut short by a crash', async () => {
    const path = join(tmp(), 'runs.jsonl');
    const lines = [JSON.stringify(run(1)), '{"not":"a run"}', 'garbage{', JSON.stringify(run(2)), '', JSON.stringify(run(3)).slice(0, 40)];
    writeFileSync(path, lines.join('\n'));
    const back = await readResults(path, 2, 100);
    expect(back.results.map((r) => r.runId)).toEqual(['run-1', 'run-2']);
    expect(back.dropped).toBe(3);
  });

  it("keeps a run's trace id, and a run whose trace id is absent (older lines) or malformed", async () => {
    const path = join(tmp(), 'runs.jsonl');
    const { traceId: _unused, ...older } = run(2);
    const lines = [run(1), older, { ...run(3), traceId: 'not-a-trace-id' }].map((r) => JSON.stringify(r));
    writeFileSync(path, lines.join('\n'));
    const back = await readResults(path, 2, 100);
    expect(back.dropped).toBe(0);
    expect(back.results.map((r) => [r.runId, r.traceId])).toEqual([
      ['run-1', run(1).traceId],
      ['run-2', undefined],
      ['run-3', undefined],
    ]);
    expect(run(1).traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('ends a cut-short last line before appending, so the next run is not lost', async () => {
    const path = join(tmp(), 'runs.jsonl');
    writeFileSync(path, `${JSON.stringify(run(1))}\n${JSON.stringify(run(2)).slice(0, 30)}`);
    const log = new ResultsLog({ path, maxBytes: 1_000_000 });
    await log.append(run(3));
    await log.close();
    const back = await readResults(path, 2, 100);
    expect(back.results.map((r) => r.runId)).toEqual(['run-1', 'run-3']);
    expect(back.dropped).toBe(1);
  });

  it('treats a missing log as empty', async () => {
    await expect(readResults(join(tmp(), 'none.jsonl'), 2, 10)).resolves.toEqual({ results: [], dropped: 0, read: 0 });
  });
});

describe('openResults: history that survives a restart', () => {
  it('keeps the newest retainRuns in memory, restored on the next start', async () => {
    const path = join(tmp(), 'runs.jsonl');
    const first = await openResults({ path, maxBytes: 1_000_000, retainRuns: 5 });
    for (let i = 1; i <= 8; i++) await first.add(run(i));
    expect(first.recent({ limit: 100 }).map((r) => r.runId)).toEqual(['run-8', 'run-7', 'run-6', 'run-5', 'run-4']);
    await first.close();
    appendFileSync(path, 'half a line');

    const second = await openResults({ path, maxBytes: 1_000_000, retainRuns: 5 });
    expect(second.restored).toBe(5);
    expect(second.dropped).toBe(1);
    expect(second.recent({ journey: 'purchase', limit: 2 }).map((r) => r.runId)).toEqual(['run-8', 'run-6']);
    expect(second.recent({ journey: 'renewal', target: 'sandbox', limit: 10 }).map((r) => r.runId)).toEqual(['run-7', 'run-5']);
    expect(second.recent({ target: 'staging', limit: 10 })).toEqual([]);
    expect(second.latestPerSeries().map((r) => r.runId)).toEqual(['run-7', 'run-8']);
    await second.close();
  });
});

describe('RunHistory', () => {
  it('is a bounded ring, newest first on query', () => {
    const history = new RunHistory(3);
    for (let i = 1; i <= 7; i++) history.add(run(i));
    expect(history.size).toBe(3);
    expect(history.all().map((r) => r.runId)).toEqual(['run-5', 'run-6', 'run-7']);
    expect(history.recent({ limit: 2 }).map((r) => r.runId)).toEqual(['run-7', 'run-6']);
    expect(history.recent({ limit: 0 })).toEqual([]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RunHistory(0)).toThrow('history capacity must be a positive integer');
  });
});

describe('resultsSink', () => {
  const start = { journey: defineJourney({ name: 'purchase', description: 'p', run: () => Promise.resolve() }), target: 'sandbox', runId: 'r' };

  it('appends each run to the results log and keeps it for queries', async () => {
    const path = join(tmp(), 'runs.jsonl');
    const results = await openResults({ path, maxBytes: 1_000_000, retainRuns: 5 });
    const failures = new Counter({ name: 'write_failures_total', help: 'h', registers: [new Registry()] });
    await resultsSink(results, { log: silent, writeFailures: failures }).onResult(run(1), start);
    await results.close();
    expect(results.recent({ limit: 5 }).map((r) => r.runId)).toEqual(['run-1']);
    expect(readFileSync(path, 'utf8')).toContain('"runId":"run-1"');
    expect((await failures.get()).values[0]?.value ?? 0).toBe(0);
  });

  it('counts a run the log could not take, logs it, and does not throw', async () => {
    const refusing: RunResults = {
      dropped: 0,
      restored: 0,
      add: () => Promise.reject(new ResultsWriteError('cannot append to /x/runs.jsonl: ENOSPC')),
      recent: () => [],
      latestPerSeries: () => [],
      close: () => Promise.resolve(),
    };
    const failures = new Counter({ name: 'write_failures_total', help: 'h', registers: [new Registry()] });
    const lines: string[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    const sink = resultsSink(refusing, { log, writeFailures: failures });
    await sink.onResult(run(1), start);
    await sink.onResult(run(2), start);
    expect((await failures.get()).values[0]?.value).toBe(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('run not saved to the results log');
    expect(lines[0]).toContain('ENOSPC');
  });
});
