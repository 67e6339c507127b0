import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import purchase from '../../../journeys/purchase.journey.js';
import type { RunResult } from '../../../src/journey/types.js';
import { text } from '../helpers/http.js';
import { runCli } from '../helpers/process.js';
import { ServeUnderTest, workdir, type InProcessServe } from '../helpers/serve.js';
import { describe, startJourneyFixture, type JourneyFixture, type ServerRequest } from './fixture.js';

/**
 * DESIGN.md "Targets": every request to the target's own origins (the portal, GitLab.com)
 * carries X-Synthetic-Journey and a W3C traceparent whose trace id is kept in the run result;
 * no request to a third party (the payment provider) carries either. Checked on what the
 * sandbox received, for a run made by the runner, by `run --json` and by `serve`.
 */

type Seen = ServerRequest & { readonly traceparent?: string; readonly startedAt: string };

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

let fx: JourneyFixture;
beforeAll(async () => {
  fx = await startJourneyFixture();
});
afterAll(async () => {
  await fx?.stop();
});

/** What the browser sent since `since` (ISO time), without the test's own control calls. */
async function browserRequests(since: string): Promise<Seen[]> {
  const { requests } = await fx.control<{ requests: Seen[] }>('GET', '/__sandbox/requests');
  // The browser fetches favicons by itself, outside the page: Playwright cannot route them
  // (nor could extraHTTPHeaders tag them reliably); they are not the journey's requests.
  return requests.filter((r) => r.startedAt >= since && r.step !== 'control' && r.path !== '/favicon.ico');
}

/** The run's trace on the target's origins, nothing on the payment origin; the span ids seen. */
function expectTagged(seen: readonly Seen[], result: RunResult): Set<string> {
  const own = seen.filter((r) => r.origin === 'portal' || r.origin === 'gitlab');
  const third = seen.filter((r) => r.origin === 'payment');
  expect(own.some((r) => r.origin === 'portal')).toBe(true);
  expect(own.some((r) => r.origin === 'gitlab')).toBe(true);
  expect(third.length, 'the run loaded the payment form').toBeGreaterThan(0);
  const untagged = own.filter((r) => r.traceparent === undefined || r.synthetic === undefined);
  expect(untagged.map((r) => `${r.origin} ${r.method} ${r.path}`)).toEqual([]);
  expect(new Set(own.map((r) => r.synthetic))).toEqual(new Set([`${result.journey}/${result.runId}`]));
  const parsed = own.map((r) => TRACEPARENT.exec(r.traceparent!));
  expect(parsed.every((m) => m !== null)).toBe(true);
  expect(new Set(parsed.map((m) => m![1]))).toEqual(new Set([result.traceId]));
  expect(third.map((r) => [r.path, r.traceparent, r.synthetic])).toEqual(
    third.map((r) => [r.path, undefined, undefined]),
  );
  return new Set(parsed.map((m) => m![2]!));
}

suite('traceparent on the target origins, the trace id in the result', () => {
  it('a purchase: every portal and GitLab.com request carries the run’s trace, the payment origin none', async () => {
    const since = new Date().toISOString();
    const result = await fx.run(purchase);
    expect(result.outcome, describe(result)).toBe('success');
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = expectTagged(await browserRequests(since), result);
    // One span per step (and the attempt's own between steps): the steps are told apart.
    expect(spans.size).toBeGreaterThanOrEqual(Math.min(3, purchase.steps!.length));
  });

  it('a retried run: both attempts in one trace, each with spans of its own', async () => {
    // The first checkout page answers 503 once: attempt 1 fails, attempt 2 passes (flaky).
    await fx.setFaults([{ match: '/subscriptions/new', status: 503, count: 1 }]);
    const since = new Date().toISOString();
    try {
      const result = await fx.run(purchase, fx.target(), { retries: 1 });
      expect(result.outcome, describe(result)).toBe('flaky');
      const seen = await browserRequests(since);
      expectTagged(seen, result);
      const failed = seen.find((r) => r.path === '/subscriptions/new' && r.status === 503);
      const passed = seen.findLast((r) => r.path === '/subscriptions/new' && r.status === 200);
      const spanOf = (r: Seen | undefined) => TRACEPARENT.exec(r?.traceparent ?? '')?.[2];
      expect(spanOf(failed)).toBeDefined();
      expect(spanOf(passed)).toBeDefined();
      expect(spanOf(failed)).not.toBe(spanOf(passed));
    } finally {
      await fx.clearFaults();
    }
  });

  it('`run --json` prints the trace id the sandbox received', async () => {
    const work = workdir({}, configFor(fx, []));
    try {
      const since = new Date().toISOString();
      const cli = await runCli(
        ['run', 'purchase', '--target', 'sandbox', '--json', '--config', work.config],
        {
          cwd: work.dir,
        },
      );
      expect(cli.exit.code, cli.stderr).toBe(0);
      const lines = cli.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const result = JSON.parse(lines[0]!) as RunResult;
      expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
      expectTagged(await browserRequests(since), result);
    } finally {
      rmSync(work.dir, { recursive: true, force: true });
    }
  });

  it('serve: the run page and the OpenMetrics exemplars show the trace id the sandbox received', async () => {
    const since = new Date().toISOString();
    const schedule =
      "  - { journey: purchase, target: sandbox, cron: '0 0 1 1 *', jitterMs: 0, runOnStart: true }";
    let serve: InProcessServe | undefined;
    try {
      serve = await ServeUnderTest.inProcess({}, configFor(fx, ['schedules:', schedule]).split('\n'));
      const [result] = await serve.runsWhere('the purchase run', (r) => r.journey === 'purchase', 1, 90_000);
      expect(result!.outcome, describe(result!)).toBe('success');
      const traceId = result!.traceId!;
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expectTagged(await browserRequests(since), result!);
      const page = await text(`${serve.url}/runs/${encodeURIComponent(result!.runId)}`);
      expect(page.status).toBe(200);
      expect(page.body).toMatch(
        new RegExp(`<dt>trace id</dt>\\s*<dd class="mono" data-testid="trace-id">${traceId}</dd>`),
      );
      const om = await text(`${serve.url}/metrics`, { accept: 'application/openmetrics-text;version=1.0.0' });
      expect(om.type).toMatch(/^application\/openmetrics-text/);
      const exemplars = om.body.split('\n').filter((l) => l.includes(`trace_id="${traceId}"`));
      expect(exemplars.some((l) => l.startsWith('synthetic_journey_duration_seconds_bucket{'))).toBe(true);
      expect(exemplars.some((l) => l.startsWith('synthetic_journey_step_duration_seconds_bucket{'))).toBe(
        true,
      );
      // An exemplar, never a label of the series.
      expect(om.body.replace(/ # \{[^}]*\}/g, '')).not.toContain('trace_id');
    } finally {
      await serve?.dispose();
    }
  });
});

/** A config whose sandbox target is the fixture's sandbox (portal and GitLab.com origins). */
function configFor(fixture: JourneyFixture, extra: readonly string[]): string {
  return [
    'results: { path: out/runs.jsonl }',
    'targets:',
    `  sandbox: { baseUrl: '${fixture.sandbox.portalUrl}', gitlabUrl: '${fixture.sandbox.gitlabUrl}' }`,
    ...extra,
    '',
  ].join('\n');
}
