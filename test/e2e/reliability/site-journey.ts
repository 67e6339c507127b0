/** A journey file (a string, written to a temp dir) that probes the fault site. */
export function siteJourney(options: {
  readonly name: string;
  readonly path: string;
  readonly timeoutMs?: number;
  readonly stepTimeoutMs?: number;
}): string {
  const timeouts = [
    options.timeoutMs === undefined ? '' : `timeoutMs: ${options.timeoutMs},`,
    options.stepTimeoutMs === undefined ? '' : `stepTimeoutMs: ${options.stepTimeoutMs},`,
  ].join(' ');
  return `
import { defineJourney, expect } from 'journey-prober';
export default defineJourney({
  name: '${options.name}',
  description: 'opens ${options.path} on the fault site',
  steps: ['open', 'check'],
  ${timeouts}
  async run({ page, target, step }) {
    await step('open', async () => {
      await page.goto(target.baseUrl + '${options.path}');
    });
    await step('check', async () => {
      await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
    });
  },
});
`;
}
