import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { defineJourney } from '../../../src/journey/define.js';
import { junitSink } from '../../../src/sinks/junit.js';
import { SinkList, type ResultSink, type RunStart } from '../../../src/sinks/sink.js';
import { humanSink, jsonSink } from '../../../src/sinks/stdout.js';
import { failedRun, passedRun } from './fixtures.js';

const journey = defineJourney({ name: 'purchase', description: 'p', run: () => Promise.resolve() });
const start: RunStart = { journey, target: 'staging', runId: 'abc' };

function capture(): { lines: Record<string, unknown>[]; log: Logger } {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) },
  );
  return { lines, log };
}

/** A sink that writes what it hears, in order, to `heard`. */
function recorder(name: string, heard: string[]): ResultSink {
  return {
    name,
    onRunStart: (run) => void heard.push(`${name} start ${run.runId}`),
    onStepEnd: ({ step }) => void heard.push(`${name} step ${step.name}`),
    onResult: async (result) => {
      await Promise.resolve();
      heard.push(`${name} result ${result.outcome}`);
    },
    onRunEnd: () => void heard.push(`${name} end`),
    onClose: () => void heard.push(`${name} close`),
  };
}

describe('SinkList', () => {
  it('hands every hook to every sink in the order listed, each result awaited before the next sink', async () => {
    const heard: string[] = [];
    const sinks = new SinkList([recorder('a', heard), undefined, recorder('b', heard)], capture().log);
    expect(sinks.names).toEqual(['a', 'b']);
    sinks.runStart(start);
    sinks.hooks().onStepEnd?.({ runId: 'abc', attempt: 1, step: passedRun.steps[0]! });
    await sinks.result(passedRun, start);
    sinks.runEnd(start);
    await sinks.close();
    expect(heard).toEqual([
      'a start abc',
      'b start abc',
      'a step sign in',
      'b step sign in',
      'a result success',
      'b result success',
      'a end',
      'b end',
      'a close',
      'b close',
    ]);
  });

  it('a sink that throws or rejects is logged with its name; the sinks after it still get the run', async () => {
    const heard: string[] = [];
    const { lines, log } = capture();
    const broken: ResultSink = {
      name: 'webhook',
      onRunStart: () => {
        throw new Error('start broke');
      },
      onStepEnd: () => {
        throw new Error('step broke');
      },
      onResult: () => Promise.reject(new Error('result broke')),
    };
    const sinks = new SinkList([broken, recorder('after', heard)], log);
    sinks.runStart(start);
    sinks.hooks().onStepEnd?.({ runId: 'abc', attempt: 1, step: passedRun.steps[0]! });
    await expect(sinks.result(passedRun, start)).resolves.toBeUndefined();
    expect(heard).toEqual(['after start abc', 'after step sign in', 'after result success']);
    const failures = lines.filter((l) => l.msg === 'result sink failed');
    expect(failures.map((l) => [l.sink, l.hook ?? 'onResult'])).toEqual([
      ['webhook', 'onRunStart'],
      ['webhook', 'onStepEnd'],
      ['webhook', 'onResult'],
    ]);
  });

  it("close closes every sink, then throws the first failure (a JUnit file that cannot be written is the command's error)", async () => {
    const heard: string[] = [];
    const failing: ResultSink = {
      name: 'junit',
      onResult: () => undefined,
      onClose: () => {
        throw new Error('EACCES: out.xml');
      },
    };
    const sinks = new SinkList([failing, recorder('after', heard)], capture().log);
    await expect(sinks.close()).rejects.toThrow('EACCES: out.xml');
    expect(heard).toEqual(['after close']);
  });
});

describe('the reporters as sinks', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('human: each step live, a summary per run, the totals at close', async () => {
    let out = '';
    const sink = humanSink({ write: (t) => (out += t), color: false });
    sink.onAttemptStart?.({ journey: 'purchase', target: 'staging', runId: 'abc', attempt: 1 });
    sink.onStepEnd?.({ runId: 'abc', attempt: 1, step: failedRun.steps[0]! });
    await sink.onResult(failedRun, start);
    await sink.onResult(passedRun, start);
    await sink.onClose?.();
    expect(out).toContain('▶ purchase · staging run abc');
    expect(out).toMatch(/✓ sign in\s+812 ms/);
    expect(out).toContain('✗ purchase · staging: failure');
    expect(out.trimEnd().split('\n').at(-1)).toBe('2 runs: 1 failure, 1 success');
  });

  it('json: one JSON object per run and nothing else, no step hooks', async () => {
    let out = '';
    const sink = jsonSink({ write: (t) => (out += t), color: false });
    await sink.onResult(passedRun, start);
    await sink.onResult(failedRun, start);
    expect(sink.onStepEnd).toBeUndefined();
    expect(
      out
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { outcome: string }).outcome),
    ).toEqual(['success', 'failure']);
  });

  it('junit: every run of the command in one file, written at close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prober-junit-sink-'));
    dirs.push(dir);
    const file = join(dir, 'deep', 'out.xml');
    const sink = junitSink(file);
    await sink.onResult(passedRun, start);
    await sink.onResult(failedRun, start);
    await sink.onClose?.();
    const xml = readFileSync(file, 'utf8');
    expect(xml).toContain('<testsuites');
    expect(xml).toContain('payment_declined');
  });
});
