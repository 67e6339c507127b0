import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { RunResult } from '../../../src/journey/types.js';
import { parseResultLine } from '../../../src/results/schema.js';
import { text } from '../helpers/http.js';
import { ServeUnderTest, workdir, type InProcessServe } from '../helpers/serve.js';
import { startFaultSite, type FaultSite } from './fault-site.js';
import { siteJourney } from './site-journey.js';

/**
 * serve starts on a results log damaged the ways a crash or a bad disk damages it: garbage
 * lines, JSON that is not a run, binary noise, a last line cut short. Every intact record is
 * kept, the others are counted, and the next append starts on a line of its own. (serve
 * runs in this process: a restart is a second call on the same work dir.)
 */
let site: FaultSite;
let serve: InProcessServe | undefined;
const started: InProcessServe[] = [];

const record = (n: number): RunResult => ({
  runId: `restored-${n}`,
  journey: 'ok',
  target: 'site',
  outcome: n === 2 ? 'failure' : 'success',
  startedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  durationMs: 1000 + n,
  attempts: 1,
  attemptOutcomes: [n === 2 ? 'failure' : 'success'],
  steps: [{ name: 'open', outcome: 'success', durationMs: 10 }],
  ...(n === 2 ? { failure: { step: 'check', class: 'timeout' as const, message: 'gone' } } : {}),
  safeMode: false,
  cleanupFailures: 0,
  annotations: {},
});

const INTACT = [record(1), record(2), record(3)];
const DAMAGED = [
  JSON.stringify(INTACT[0]),
  'this is not JSON at all',
  JSON.stringify(INTACT[1]),
  '{"runId":"only-an-id"}',
  '\u0000\u0001\u0002\ufffd\ufffd binary noise',
  JSON.stringify(INTACT[2]),
  JSON.stringify(record(4)).slice(0, 60), // cut short by a crash: no newline
].join('\n');

beforeAll(async () => {
  site = await startFaultSite();
});

afterAll(async () => {
  for (const s of started) await s.dispose();
  await site?.close();
});

describe('reliability: a corrupted results log', () => {
  it('start-up keeps every intact record, reports how many lines it dropped, and appends cleanly', async () => {
    const work = workdir({ ok: siteJourney({ name: 'ok', path: '/' }) }, '');
    mkdirSync(dirname(work.results), { recursive: true });
    writeFileSync(work.results, DAMAGED);
    serve = await ServeUnderTest.inProcess(
      {},
      [
        'journeysDir: journeys',
        'results: { path: out/runs.jsonl }',
        'artifacts: { dir: out/artifacts }',
        'trace: "off"',
        'targets:',
        `  site: { baseUrl: "${site.origin}", allowPurchases: true }`,
        'schedules:',
        "  - { journey: ok, target: site, cron: '*/2 * * * * *', jitterMs: 0, runOnStart: true }",
      ],
      { work },
    );
    started.push(serve);
    const s = serve;
    onTestFailed(() => console.log(s.tail()));
    await s.ready();
    const dropped = s.logLines().find((l) => l.msg === 'skipped unreadable lines of the results log');
    expect(dropped).toMatchObject({ level: 40, dropped: 4 });
    expect(s.logLines().find((l) => l.msg === 'run history read back')).toMatchObject({ restored: 3 });

    const api = JSON.parse((await text(`${s.url}/api/runs?limit=100`)).body) as { runs: { runId: string }[] };
    const ids = api.runs.map((r) => r.runId);
    expect(ids.filter((id) => id.startsWith('restored-')).sort()).toEqual([
      'restored-1',
      'restored-2',
      'restored-3',
    ]);

    // Two new runs, appended after the cut line, each on its own line.
    const lines = (): string[] =>
      readFileSync(work.results, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
    const before = DAMAGED.split('\n').length;
    for (let i = 0; i < 300 && lines().length < before + 2; i++) await new Promise((r) => setTimeout(r, 200));
    expect((await s.stop()).code).toBe(0);
    const after = lines();
    expect(after.slice(0, before)).toEqual(DAMAGED.split('\n'));
    const appended = after.slice(before).map(parseResultLine);
    expect(appended.length).toBeGreaterThanOrEqual(2);
    for (const run of appended) expect(run).toMatchObject({ journey: 'ok', outcome: 'success' });
  });

  it('a restart reads the same log the same way: the same lines dropped, every appended run kept', async () => {
    const previous = serve!;
    const total = readFileSync(previous.work.results, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    serve = await ServeUnderTest.inProcess({}, [], { work: previous.work });
    started.push(serve);
    const s = serve;
    await s.ready();
    expect(s.logLines().find((l) => l.msg === 'skipped unreadable lines of the results log')).toMatchObject({
      dropped: 4,
    });
    expect(s.logLines().find((l) => l.msg === 'run history read back')).toMatchObject({
      restored: total.length - 4,
    });
    expect((await s.stop()).code).toBe(0);
  });
});
