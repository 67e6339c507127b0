import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Journey files import the public API by its package name, wherever they live.
  resolve: { alias: { 'journey-prober': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
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
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Real Chromium on 2 cores: one file at a time keeps timings honest.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
