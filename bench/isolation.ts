// What isolation costs per run: one journey FILE (a 2-page flow on a local site), run through
// executeRun — in this thread (`isolation: 'off'`) and in a journey worker (the default) —
// interleaved A/B on one browser pool. Wall time of the run; CPU of this process (all its
// threads: the runner, the worker, Playwright's browser server) over the run and the pause
// after it (when the next spare worker warms up); medians. Cold: no spare worker waiting.
//   node --import tsx bench/isolation.ts [rounds]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type * as Loader from '../src/journey/loader.js';
import type { Journey } from '../src/journey/types.js';
import type * as Browser from '../src/runner/browser.js';
import type * as Executor from '../src/scheduler/executor.js';
import type { RunSettings } from '../src/scheduler/executor.js';
import type * as Sink from '../src/sinks/sink.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.js';
import { median } from './lib/stats.js';

const ROUNDS = Number(process.argv[2] ?? 12);
// BENCH_DIST=1: the compiled dist/ (what `npm start` and the package run); else the sources through tsx.
const from = process.env.BENCH_DIST === '1' ? '../dist' : '../src';
const ext = process.env.BENCH_DIST === '1' ? 'js' : 'ts';
const { loadJourneys } = (await import(`${from}/journey/loader.${ext}`)) as typeof Loader;
const { BrowserPool } = (await import(`${from}/runner/browser.${ext}`)) as typeof Browser;
const { executeRun } = (await import(`${from}/scheduler/executor.${ext}`)) as typeof Executor;
const { SinkList } = (await import(`${from}/sinks/sink.${ext}`)) as typeof Sink;
const PAUSE_MS = Number(process.env.PAUSE_MS ?? 3_000);

const site = createServer((req, res) => {
  res.setHeader('content-type', 'text/html');
  res.end(
    req.url === '/next' ? '<h1>Welcome</h1><p>second page</p>' : '<h1>Start</h1><a href="/next">next</a>',
  );
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
const address = site.address();
const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const dir = mkdtempSync(join(tmpdir(), 'bench-isolation-'));
writeFileSync(
  join(dir, 'flow.journey.ts'),
  `import { defineJourney, expect } from 'journey-prober';
export default defineJourney({
  name: 'flow', description: 'two pages', steps: ['open', 'next', 'check'],
  async run({ page, target, step }) {
    await step('open', async () => { await page.goto(target.baseUrl + '/'); });
    await step('next', async () => { await page.getByRole('link', { name: 'next' }).click(); });
    await step('check', async () => { await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible(); });
  },
});
`,
);
const loaded = await loadJourneys(dir);
const journey: Journey = loaded.journeys.get('flow')!;
const log = pino({ level: 'warn' });
const pool = new BrowserPool({ executablePath: CHROMIUM_PATH, extraArgs: CHROMIUM_ARGS, log, server: true });
await pool.launch();
const ready = {
  target: {
    name: 'local',
    baseUrl: origin,
    allowPurchases: true,
    params: {},
    latencyBudgetMs: {},
  } as never,
  accounts: () => Promise.reject(new Error('no account')),
};
const noAccount = { ...ready, accounts: () => Promise.resolve({ email: 'x@example.com' } as never) };
const base: RunSettings = { browser: pool, retries: 0, trace: 'off', artifactsDir: join(dir, 'art'), log };
const sinks = new SinkList([{ name: 'bench', onResult: () => undefined }], log);

async function once(isolation: 'worker' | 'off'): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await executeRun(journey, noAccount, { ...base, isolation }, sinks);
  const wall = performance.now() - t0;
  if (result.outcome !== 'success') throw new Error(`${isolation}: ${JSON.stringify(result.failure)}`);
  await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  const used = process.cpuUsage(cpu0);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const samples: Record<'off' | 'worker', { wall: number; cpu: number }[]> = { off: [], worker: [] };
await once('off');
await once('worker'); // warm-up: tsx's cache, the first spare
for (let i = 0; i < ROUNDS; i++) {
  const order: ('off' | 'worker')[] = i % 2 === 0 ? ['off', 'worker'] : ['worker', 'off'];
  for (const arm of order) samples[arm].push(await once(arm));
}
const row = (arm: 'off' | 'worker'): string =>
  `${arm.padEnd(7)} wall median ${median(samples[arm].map((s) => s.wall)).toFixed(0)} ms, CPU median ${median(samples[arm].map((s) => s.cpu)).toFixed(0)} ms (run + ${PAUSE_MS} ms pause)`;
console.log(`isolation bench (${from}): ${ROUNDS} interleaved pairs, 2-page local flow, trace off`);
console.log(row('off'));
console.log(row('worker'));
void ready;
await pool.close();
site.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
