import { performance } from 'node:perf_hooks';
import { defineJourney, expect } from 'journey-prober';

/**
 * The scheduler, scale and startup benchmarks' journey: one page, as little work as a real
 * run can be. Its first line stamps the wall-clock time of the run's first action, so a
 * benchmark can measure the lag from the cron tick (or the process start) to it.
 */
export default defineJourney({
  name: 'fast',
  description: 'Benchmark: stamp the first action, open the sign-in page',
  tags: ['bench'],
  accountState: 'none',
  steps: ['sign-in page'],
  timeoutMs: 30_000,
  stepTimeoutMs: 15_000,
  async run({ page, target, step, annotate }) {
    annotate('firstActionEpochMs', performance.timeOrigin + performance.now());
    await step('sign-in page', async () => {
      await page.goto(`${target.baseUrl}/customers/sign_in`);
      await expect(page.getByRole('button', { name: 'Continue with GitLab.com account' })).toBeVisible();
    });
  },
});
