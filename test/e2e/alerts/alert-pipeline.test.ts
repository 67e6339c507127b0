import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyUrl } from '../../../src/status/format.js';
import { poll } from '../helpers/http.js';
import { LOCATION, StackParts, startStack, type Stack } from './stack.js';
import type { Notification, WebhookAlert } from './webhook.js';

/**
 * The alert pipeline end to end: a sandbox outage, seen by `serve` running the real
 * purchase journey every 5 s, scraped by a real Prometheus evaluating the test-only rules
 * (every duration / 60), pages the portal's on-call through a real Alertmanager routed by
 * the deployed configuration; clearing the outage resolves the page. Prober-only problems
 * (a script bug, flaky runs) in the same window never reach the portal's receivers.
 */
const parts = new StackParts();
let stack: Stack;
let startedAt = 0;
let outageAt = 0;
let pagedAt = 0;
let clearedAt = 0;
const PURCHASE = { journey: 'purchase', target: 'sandbox' };

const portal = (): Notification[] => [
  ...stack.webhook.on('/portal-pager'),
  ...stack.webhook.on('/portal-tickets'),
];
const alertsOf = (ns: readonly Notification[]): WebhookAlert[] => ns.flatMap((n) => n.alerts);
const secondsSince = (t: number): number => Math.ceil((Date.now() - t) / 1000);

/** Polls serve's /metrics until `labels`' runs reach `count`. */
function runs(labels: Record<string, string>, count: number, timeoutMs: number): Promise<number> {
  return poll(
    `${count} runs ${JSON.stringify(labels)}`,
    async () => {
      const n = await stack.metric('synthetic_journey_runs_total', labels);
      return n >= count ? n : undefined;
    },
    timeoutMs,
    500,
  );
}

beforeAll(async () => {
  startedAt = Date.now();
  stack = await startStack(parts);
}, 120_000);

afterAll(async () => {
  await parts.stop();
}, 90_000);

describe('alert pipeline: serve -> Prometheus (test-only rules) -> Alertmanager (deployed routes) -> webhook', () => {
  it('pages nobody for a portal blip healed by a retry, flaky runs or a buggy journey script', async () => {
    await runs({ ...PURCHASE, outcome: 'success' }, 1, 90_000);
    // The next page load of the checkout answers 503 once: that attempt fails, its retry passes.
    await stack.faults([{ match: '/subscriptions/new', status: 503, count: 1 }]);
    await runs({ ...PURCHASE, outcome: 'flaky' }, 1, 90_000);
    await runs({ journey: 'wobbly', outcome: 'flaky' }, 4, 60_000);
    expect(
      await stack.metric('synthetic_journey_runs_total', { journey: 'wobbly', outcome: 'failure' }),
    ).toBe(0);
    // The script bug does alert, as a prober problem, to the prober's owners.
    const owners = await poll(
      'JourneyProberErrors for erring at /prober-owners',
      () => {
        const found = alertsOf(stack.webhook.on('/prober-owners')).find(
          (a) => a.labels.alertname === 'JourneyProberErrors' && a.labels.journey === 'erring',
        );
        return Promise.resolve(found);
      },
      90_000,
    );
    expect(owners.labels).toMatchObject({ component: 'prober', severity: 'ticket', location: LOCATION });
    // Prometheus has seen the flaky purchase run; no portal alert was ever pending or firing.
    await poll(
      'the flaky purchase run in Prometheus',
      async () =>
        (await stack.query('synthetic_journey_runs_total{journey="purchase",outcome="flaky"} >= 1')).length >
        0
          ? true
          : undefined,
      30_000,
    );
    const seen = await stack.query(`max_over_time(ALERTS{component="portal"}[${secondsSince(startedAt)}s])`);
    expect(seen.map((s) => s.metric)).toEqual([]);
    expect(portal()).toEqual([]);
    expect(stack.webhook.errors).toEqual([]);
  }, 150_000);

  it('pages the portal on-call when the portal is down, with journey, target, runbook and status page', async () => {
    outageAt = Date.now();
    await stack.faults([{ match: '*', status: 503 }]);
    // The burn-rate page is the one an outage must raise. JourneyConsecutiveFailures may join
    // it: it needs three finished runs within 18 s, which a loaded 2-core machine running
    // each failed run twice (retries: 1) does not always manage.
    await poll(
      'JourneyErrorBudgetFastBurn for purchase at /portal-pager',
      () => {
        const firing = stack.webhook.on('/portal-pager').filter((n) => n.status === 'firing');
        if (pagedAt === 0 && firing.length > 0) pagedAt = firing[0]!.receivedAt;
        const fastBurn = alertsOf(firing).find((a) => a.labels.alertname === 'JourneyErrorBudgetFastBurn');
        return Promise.resolve(fastBurn);
      },
      120_000,
    );
    const paged = alertsOf(stack.webhook.on('/portal-pager'));
    for (const alert of paged) {
      expect(alert.labels).toMatchObject({
        ...PURCHASE,
        severity: 'page',
        component: 'portal',
        location: LOCATION,
      });
      const name = alert.labels.alertname ?? '';
      expect(alert.annotations.runbook_url).toMatch(new RegExp(`/docs/runbooks/${name}\\.md$`));
      // The status page's own URL scheme; the host is the rules' statusBaseUrl parameter.
      const status = new URL(alert.annotations.status_url ?? '');
      expect(`${status.pathname}${status.search}`).toBe(journeyUrl('purchase', 'sandbox'));
      expect(alert.annotations.summary).toMatch(/^purchase on sandbox: /);
      expect(alert.annotations.description).toMatch(/class http_error/);
    }
    expect(paged.find((a) => a.labels.alertname === 'JourneyErrorBudgetFastBurn')?.labels.window).toBe('1m');
    // A 503 is not a payment failure: JourneyPaymentFailures stays silent.
    for (const alert of paged) {
      expect(['JourneyErrorBudgetFastBurn', 'JourneyConsecutiveFailures']).toContain(alert.labels.alertname);
    }
    expect(new Set(stack.webhook.on('/portal-pager').map((n) => n.receiver))).toEqual(
      new Set(['portal-pager']),
    );
    const first = stack.webhook.on('/portal-pager')[0]?.alerts.map((a) => a.labels.alertname) ?? [];
    console.info(
      `alert pipeline: outage -> first page ${((pagedAt - outageAt) / 1000).toFixed(1)} s (${first.join(', ')})`,
    );
    expect(stack.webhook.on('/portal-pager')[0]?.receivedAt).toBeGreaterThanOrEqual(outageAt);
    expect(stack.webhook.on('/portal-tickets')).toEqual([]);
  }, 150_000);

  it('resolves the page once the portal is back', async () => {
    await stack.faults([]);
    clearedAt = Date.now();
    const resolved = await poll(
      'a resolved notification for purchase at /portal-pager',
      () =>
        Promise.resolve(
          stack.webhook
            .on('/portal-pager')
            .find(
              (n) =>
                n.status === 'resolved' && n.groupLabels.journey === 'purchase' && n.receivedAt >= clearedAt,
            ),
        ),
      120_000,
    );
    // Alertmanager drops an alert from its group once its resolution was sent, so the page
    // alerts may resolve in separate notifications: the last word on each must be "resolved".
    const last = new Map<string, WebhookAlert>();
    for (const alert of alertsOf(stack.webhook.on('/portal-pager')))
      last.set(alert.labels.alertname ?? '', alert);
    expect(last.has('JourneyErrorBudgetFastBurn')).toBe(true);
    for (const [name, alert] of last) expect(`${name}: ${alert.status}`).toBe(`${name}: resolved`);
    for (const alert of resolved.alerts) {
      expect(alert.status).toBe('resolved');
      expect(alert.labels).toMatchObject({ ...PURCHASE, severity: 'page', component: 'portal' });
    }
    expect(
      await stack.metric('synthetic_journey_runs_total', { ...PURCHASE, outcome: 'success' }),
    ).toBeGreaterThanOrEqual(1);
    console.info(
      `alert pipeline: clear -> resolved ${((resolved.receivedAt - clearedAt) / 1000).toFixed(1)} s; paged: ${[...last.keys()].join(', ')}`,
    );
  }, 150_000);

  it('never sent a portal notification about a prober-only problem', async () => {
    const journeys = new Set(alertsOf(portal()).map((a) => a.labels.journey));
    expect([...journeys]).toEqual(['purchase']);
    const aboutWobbly = alertsOf(stack.webhook.notifications)
      .filter((a) => a.labels.journey === 'wobbly')
      .map((a) => `${a.labels.alertname} ${a.status}`);
    expect(aboutWobbly).toEqual([]);
    const seen = await stack.query(
      `max_over_time(ALERTS{component="portal",journey=~"erring|wobbly"}[${secondsSince(startedAt)}s])`,
    );
    expect(seen.map((s) => s.metric)).toEqual([]);
    expect(
      await stack.metric('synthetic_journey_runs_total', { journey: 'erring', outcome: 'error' }),
    ).toBeGreaterThanOrEqual(5);
    expect(stack.webhook.errors).toEqual([]);
  });
});
