import { performance } from 'node:perf_hooks';
import type { Benchmark } from './lib/bench.js';
import { describeMachine, load1 } from './lib/machine.js';
import { saveRecord } from './lib/report.js';
import { fidelity } from './fidelity.js';
import { metricsRender } from './metrics-render.js';
import { overhead } from './overhead.js';
import { routing } from './routing.js';
import { scale } from './scale.js';
import { schedulerLag } from './scheduler.js';
import { startup } from './startup.js';

/** In the order `npm run bench` runs them. */
export const BENCHMARKS: readonly Benchmark[] = [
  overhead,
  fidelity,
  schedulerLag,
  scale,
  metricsRender,
  startup,
  routing,
];

const USAGE = `usage: npm run bench -- [--quick] [${BENCHMARKS.map((b) => b.name).join('|')} ...]`;

/** Runs the named benchmarks (all by default), saving each one's record as it finishes. */
export async function main(argv: readonly string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const names = argv.filter((a) => a !== '--quick');
  const unknown = names.filter((n) => n.startsWith('-') || !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: unknown ${unknown[0]!.startsWith('-') ? 'option' : 'benchmark'} "${unknown[0]}"\n${USAGE}\n`,
    );
    return 2;
  }
  const chosen = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
  const machine = describeMachine();
  let failed = 0;
  for (const bench of chosen) {
    const startedAt = new Date().toISOString();
    const loadStart = load1();
    const t0 = performance.now();
    process.stderr.write(
      `\n== ${bench.title} (${bench.name})${quick ? ' [quick]' : ''}, load ${loadStart}\n`,
    );
    try {
      const output = await bench.run({ quick, progress: (line) => process.stderr.write(`   ${line}\n`) });
      const record = {
        title: bench.title,
        quick,
        startedAt,
        durationS: (performance.now() - t0) / 1000,
        load: { start: loadStart, end: load1() },
        ...output,
      };
      const path = await saveRecord(bench.name, record, machine);
      for (const row of output.rows) {
        process.stderr.write(
          `   ${row.metric}: ${row.value}${row.target ? ` (target ${row.target}: ${row.verdict ?? ''})` : ''}\n`,
        );
      }
      process.stderr.write(`   saved to ${path}\n`);
    } catch (error) {
      failed++;
      process.stderr.write(
        `   FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
  }
  return failed === 0 ? 0 : 1;
}
