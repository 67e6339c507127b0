/**
 * Journey files with the bugs of issue 15 (each a string, written to a temp dir): what a
 * journey's code can do to the process that runs it. Each has the steps `open` and a second
 * one, so a result names the step the bug was in.
 */
const journey = (name: string, timeoutMs: number, second: string, body: string, after = ''): string => `
import { defineJourney } from 'journey-prober';
export default defineJourney({
  name: '${name}',
  description: 'a hostile journey: ${name}',
  steps: ['open', '${second}'],
  timeoutMs: ${timeoutMs},
  async run({ page, step }) {
    await step('open', async () => {
      await page.setContent('<h1>Welcome</h1><script>console.log("hello")</script>');
    });
    await step('${second}', async () => {
      ${body}
    });
    ${after}
  },
});
`;

/** Loops of this length: the worker is stopped at its timeout, long before it would end. */
export const LOOP_TIMEOUT_MS = 6_000;

export const HOSTILE: Record<string, string> = {
  // An un-awaited click that fails while the next step still runs.
  'forgot-await': journey(
    'forgot-await',
    30_000,
    'wait',
    `void page.locator('#missing').click({ timeout: 300 });
      await page.waitForTimeout(3_000);`,
  ),
  // A rejection from a timer set by the journey, after its last step.
  'late-rejection': journey(
    'late-rejection',
    30_000,
    'check',
    `await page.getByRole('heading', { name: 'Welcome' }).waitFor();`,
    `setTimeout(() => void Promise.reject(new Error('late rejection from a timer')), 20);`,
  ),
  // A listener that throws: over a pipe it threw into the prober's event loop.
  'console-throw': journey(
    'console-throw',
    30_000,
    'wait',
    `page.on('console', () => { throw new Error('listener blew up'); });
      await page.evaluate(() => console.log('again'));
      await page.waitForTimeout(2_000);`,
  ),
  'exit-zero': journey('exit-zero', 30_000, 'leave', `process.exit(0);`),
  'exit-one': journey('exit-one', 30_000, 'leave', `process.exit(1);`),
  // A synchronous endless loop: nothing in its thread runs again.
  'endless-loop': journey('endless-loop', LOOP_TIMEOUT_MS, 'spin', `for (;;) { /* never yields */ }`),
};

/** A journey with no bug: the runs around the hostile ones still pass. */
export const WELL_BEHAVED = journey(
  'well-behaved',
  30_000,
  'check',
  `if ((await page.getByRole('heading').textContent()) !== 'Welcome') throw new Error('no heading');`,
);
