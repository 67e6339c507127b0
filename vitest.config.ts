import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * E2E files that measure time or memory against a bound: they run after every other file,
 * one at a time, so no neighbour's Chromium competes for the two cores while they measure.
 */
const ALONE = [
  'test/e2e/journeys/step-timing.test.ts', // step durations against the server's own timings
  'test/e2e/runner/evidence-memory.test.ts', // peak RSS of a run under a bound
  'test/e2e/runner/failure-classes.test.ts', // timeouts end within 1.5-2.5 s of their bound
  'test/e2e/reliability/portal-hang.test.ts', // RSS and file descriptors stay bounded over runs
];

/**
 * The other e2e files mostly wait (hang faults' timeouts, Prometheus evaluation intervals,
 * cron ticks), so two run at once by default (E2E_WORKERS to change it). Each starts its own
 * servers on ports the kernel picks and its own browsers, and never writes into the checkout.
 * Four at once halved the wall time of a quiet machine's files but, on this 2-core machine
 * at load 35-60 (seven sessions testing), starved the browser-heavy files (cli-repeat hit its
 * 540 s bound, sign-ins their 8 s step bound).
 */
const E2E_WORKERS = Number(process.env.E2E_WORKERS ?? 2);
if (!Number.isInteger(E2E_WORKERS) || E2E_WORKERS < 1) {
  throw new Error(`E2E_WORKERS must be a whole number >= 1, not "${process.env.E2E_WORKERS}"`);
}

/**
 * The longest e2e files (measured), started first so that none of them begins when the
 * others are done: a fresh clone has no timing cache to order by.
 */
const SLOW_FIRST = [
  'test/e2e/journeys/cli-repeat.test.ts',
  'test/e2e/alerts/alert-pipeline.test.ts',
  'test/e2e/journeys/serve-accounts.test.ts',
  'test/e2e/sandbox/faults.test.ts',
  'test/e2e/journeys/fault-matrix.test.ts',
  'test/e2e/alerts/locations.test.ts',
  'test/e2e/journeys/sign-in-sessions.test.ts',
  'test/e2e/alerts/replicas.test.ts',
  'test/e2e/serve/serve-metrics.test.ts',
];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification): number => {
      const index = SLOW_FIRST.findIndex((path) => spec.moduleId.endsWith(path));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  // Journey files import the public API by its package name, wherever they live.
  resolve: { alias: { 'journey-prober': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    sequence: { sequencer: SlowFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
          // Unit files share one module graph per worker instead of a fresh one per file
          // (nothing here mocks modules or leaves globals behind): 21 files took 13-23 s
          // instead of 64-72 s, measured alternately on the same loaded machine.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ALONE,
          maxWorkers: E2E_WORKERS,
          testTimeout: 120_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e-alone',
          include: ALONE,
          // Real Chromium on 2 cores: one file at a time keeps these measurements honest.
          maxWorkers: 1,
          testTimeout: 120_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
