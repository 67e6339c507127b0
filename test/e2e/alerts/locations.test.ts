import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedPort, startTestSite, type TestSite } from '../helpers/test-site.js';
import { siteJourney } from '../reliability/site-journey.js';
import type { Daemon } from './daemons.js';
import {
  BASE_CONFIG,
  EVERY_5S,
  everRaised,
  firing,
  perPair,
  startFleetPrometheus,
  startMember,
  stopFleet,
  untilFiring,
  type Member,
} from './fleet.js';

/**
 * Three locations (DESIGN.md "Locations"): three `serve`s probing one site, scraped by a
 * real Prometheus that labels each target with its location, evaluating the test-only
 * rules. One location's runs go to a closed port (its network path is broken): that is a
 * ticket naming the location, never a page. The site down for every location: the page.
 */
const LOCATIONS = ['us-east', 'eu-west', 'ap-south'] as const;
const BROKEN = 'eu-west';
const HOME = { journey: 'home', target: 'site' };
const PORTAL_PAGE = 'component="portal",severity="page"';

const members: Member[] = [];
let prometheus: Daemon | undefined;
let site: TestSite;
let startedAt = 0;

const secondsSince = (t: number): number => Math.ceil((Date.now() - t) / 1000);

function config(baseUrl: string): string[] {
  return [
    ...BASE_CONFIG,
    'targets:',
    `  site: { baseUrl: '${baseUrl}' }`,
    'schedules:',
    `  - { journey: home, target: site, ${EVERY_5S} }`,
  ];
}

beforeAll(async () => {
  startedAt = Date.now();
  site = await startTestSite();
  const closed = `http://127.0.0.1:${await refusedPort()}`;
  const journeys = { home: siteJourney({ name: 'home', path: '/ok', stepTimeoutMs: 5_000 }) };
  for (const location of LOCATIONS) {
    await startMember(
      journeys,
      config(location === BROKEN ? closed : site.origin),
      { location },
      {},
      members,
    );
  }
  prometheus = await startFleetPrometheus(members);
}, 180_000);

afterAll(async () => {
  await stopFleet(prometheus, members);
  await site.close();
}, 120_000);

describe('alerts from three locations (real Prometheus, target labels, test-only rules)', () => {
  it('tickets the one location whose runs fail, and pages nobody', async () => {
    const prom = prometheus!;
    const tickets = await untilFiring(prom, `alertname="JourneyFailingFromOneLocation"`, 120_000);
    for (const ticket of tickets) {
      expect(ticket).toMatchObject({ ...HOME, location: BROKEN, severity: 'ticket', component: 'portal' });
    }
    // The other locations' runs pass meanwhile: the site itself is up.
    for (const member of members.filter((m) => m.labels.location !== BROKEN)) {
      const runs = await perPair(member, 'synthetic_journey_runs_total', { outcome: 'success' });
      expect(runs.get('home@site') ?? 0).toBeGreaterThanOrEqual(1);
    }
    // No portal page was ever pending or firing, and no ticket named a healthy location.
    expect(await everRaised(prom, PORTAL_PAGE, secondsSince(startedAt))).toEqual([]);
    const named = await everRaised(
      prom,
      'alertname="JourneyFailingFromOneLocation"',
      secondsSince(startedAt),
    );
    expect(new Set(named.map((a) => a.location))).toEqual(new Set([BROKEN]));
    console.info(
      `locations: ticket for ${BROKEN} after ${secondsSince(startedAt)} s (${tickets.map((t) => t.signal).join(', ')})`,
    );
  }, 150_000);

  it('pages the portal on-call once the site is down for every location', async () => {
    const prom = prometheus!;
    const downAt = Date.now();
    await site.close();
    const pages = await untilFiring(prom, PORTAL_PAGE, 120_000);
    for (const page of pages) {
      // One page per journey x target, summed over the locations: no location label.
      expect(page).toMatchObject({ ...HOME, severity: 'page', component: 'portal' });
      expect(page.location).toBeUndefined();
      expect(['JourneyErrorBudgetFastBurn', 'JourneyConsecutiveFailures']).toContain(page.alertname);
    }
    expect(await firing(prom, `${PORTAL_PAGE},location!=""`)).toEqual([]);
    console.info(
      `locations: site down -> page after ${secondsSince(downAt)} s (${pages.map((p) => p.alertname).join(', ')})`,
    );
  }, 150_000);
});
