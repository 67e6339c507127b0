import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from '../helpers/http.js';
import { testAlertmanagerConfig } from './alertmanager-config.js';
import { startAlertmanager, type Daemon } from './daemons.js';
import { WebhookReceiver } from './webhook.js';

/**
 * The deployed Alertmanager inhibit rules, in a real Alertmanager (the deployed routes, test
 * timings): a portal page inhibits the location tickets of the same journey x target, and only
 * those; a prober that is down silences the portal alerts of its own location only. The alerts
 * are posted as Prometheus would send them; the page carries no `location` (it aggregates the
 * locations), a ticket carries its own.
 */
let webhook: WebhookReceiver;
let alertmanager: Daemon;

interface AmAlert {
  readonly labels: Record<string, string>;
  readonly fingerprint: string;
  readonly status: { readonly state: string; readonly inhibitedBy: readonly string[] };
}

const ONE_LOCATION = { alertname: 'JourneyFailingFromOneLocation', component: 'portal', severity: 'ticket' };
const TICKETS: Record<string, Record<string, string>> = {
  'purchase@sandbox from eu-west': {
    ...ONE_LOCATION,
    journey: 'purchase',
    target: 'sandbox',
    location: 'eu-west',
    signal: 'JourneyErrorBudgetFastBurn',
    window: '1h',
  },
  'renewal@sandbox from eu-west': {
    ...ONE_LOCATION,
    journey: 'renewal',
    target: 'sandbox',
    location: 'eu-west',
    signal: 'JourneyErrorBudgetFastBurn',
    window: '1h',
  },
  'purchase@staging from us-east': {
    ...ONE_LOCATION,
    journey: 'purchase',
    target: 'staging',
    location: 'us-east',
    signal: 'JourneyErrorBudgetFastBurn',
    window: '1h',
  },
};
const PAGE = {
  alertname: 'JourneyErrorBudgetFastBurn',
  component: 'portal',
  severity: 'page',
  journey: 'purchase',
  target: 'sandbox',
  window: '1h',
};
const PROBER_DOWN = {
  alertname: 'JourneyProberDown',
  component: 'prober',
  severity: 'page',
  job: 'journey-prober',
  instance: '10.0.0.7:9464',
  location: 'us-east',
};

async function post(alerts: readonly Record<string, string>[]): Promise<void> {
  const startsAt = new Date().toISOString();
  const endsAt = new Date(Date.now() + 10 * 60_000).toISOString();
  const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts.map((labels) => ({ labels, startsAt, endsAt }))),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200) throw new Error(`POST /api/v2/alerts: HTTP ${res.status} ${await res.text()}`);
}

async function alerts(): Promise<AmAlert[]> {
  const res = await fetch(`${alertmanager.url}/api/v2/alerts`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`GET /api/v2/alerts: HTTP ${res.status}`);
  return (await res.json()) as AmAlert[];
}

/** Each ticket's state by name, once every alert in `expected` is known to Alertmanager. */
async function states(count: number): Promise<Map<string, AmAlert>> {
  const all = await poll(
    `${count} alerts in Alertmanager`,
    async () => {
      const now = await alerts();
      return now.length >= count ? now : undefined;
    },
    30_000,
  );
  const byName = new Map<string, AmAlert>();
  for (const a of all) {
    const name = Object.entries(TICKETS).find(([, l]) =>
      Object.entries(l).every(([k, v]) => a.labels[k] === v),
    )?.[0];
    byName.set(name ?? a.labels.alertname ?? '?', a);
  }
  return byName;
}

beforeAll(async () => {
  webhook = await WebhookReceiver.start();
  alertmanager = await startAlertmanager(
    testAlertmanagerConfig(webhook.origin, { groupWait: '1s', groupInterval: '2s', resolveTimeout: '10s' }),
  );
}, 60_000);

afterAll(async () => {
  await alertmanager?.stop();
  await webhook?.close();
}, 30_000);

describe('the deployed inhibit rules in a real Alertmanager', () => {
  it('without a page, every location ticket is active and reaches the tickets queue', async () => {
    await post(Object.values(TICKETS));
    const byName = await states(3);
    for (const name of Object.keys(TICKETS)) {
      expect(`${name}: ${byName.get(name)?.status.state}`).toBe(`${name}: active`);
    }
    await poll(
      'the three tickets at /portal-tickets',
      () => {
        const seen = webhook.on('/portal-tickets').flatMap((n) => n.alerts.map((a) => a.labels.journey));
        return Promise.resolve(seen.length >= 3 ? seen : undefined);
      },
      30_000,
    );
  });

  it('the page inhibits the ticket of its journey x target in every location, and no other', async () => {
    await post([PAGE, ...Object.values(TICKETS)]);
    const byName = await poll(
      'the purchase@sandbox ticket suppressed',
      async () => {
        const now = await states(4);
        return now.get('purchase@sandbox from eu-west')?.status.state === 'suppressed' ? now : undefined;
      },
      30_000,
    );
    const page = byName.get('JourneyErrorBudgetFastBurn')!;
    expect(page.status.state).toBe('active');
    expect(byName.get('purchase@sandbox from eu-west')?.status.inhibitedBy).toEqual([page.fingerprint]);
    expect(byName.get('renewal@sandbox from eu-west')?.status.state).toBe('active');
    expect(byName.get('purchase@staging from us-east')?.status.state).toBe('active');
    // The page reaches the pager.
    await poll(
      'the page at /portal-pager',
      () => Promise.resolve(webhook.on('/portal-pager').find((n) => n.status === 'firing')),
      30_000,
    );
  });

  it("a prober that is down silences its own location's portal alerts only", async () => {
    await post([PROBER_DOWN, PAGE, ...Object.values(TICKETS)]);
    const byName = await poll(
      'the us-east ticket suppressed by JourneyProberDown',
      async () => {
        const now = await states(5);
        return now.get('purchase@staging from us-east')?.status.state === 'suppressed' ? now : undefined;
      },
      30_000,
    );
    const down = byName.get('JourneyProberDown')!;
    expect(down.status.state).toBe('active');
    expect(byName.get('purchase@staging from us-east')?.status.inhibitedBy).toEqual([down.fingerprint]);
    // eu-west's ticket: still inhibited by the page only; the page (no location) is not inhibited.
    expect(byName.get('renewal@sandbox from eu-west')?.status.state).toBe('active');
    expect(byName.get('JourneyErrorBudgetFastBurn')?.status.state).toBe('active');
    expect(webhook.errors).toEqual([]);
  });
});
