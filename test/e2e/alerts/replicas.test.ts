import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, text } from '../helpers/http.js';
import { startTestSite, type TestSite } from '../helpers/test-site.js';
import type { Daemon } from './daemons.js';
import {
  BASE_CONFIG,
  EVERY_5S,
  everRaised,
  perPair,
  startFleetPrometheus,
  startMember,
  stopFleet,
  untilFiring,
  type Member,
} from './fleet.js';

/**
 * Three replicas of one location (DESIGN.md "Replicas"): `PROBER_SHARD=0/3…2/3` on one config
 * of 6 journey x target pairs over 4 test accounts. Each pair runs in exactly one replica
 * (read from each replica's /metrics), an account's pairs all in the same one; a replica
 * stopped is JourneyProberDown for itself and JourneyNotRunning for exactly its pairs; the
 * others' pairs keep running without alerts.
 */
const REPLICAS = 3;
const LOCATION = 'us-east';
const TARGETS = ['a', 'b', 'c'] as const;

/**
 * The account each pair signs in with (see `accounts` below): 4 accounts over 6 pairs. Four
 * keys hashed over three replicas may leave one replica empty (the first emails tried did);
 * these hash to replicas 2, 1, 2 and 0, so every replica has work and stopping any is seen.
 */
const ACCOUNT: Record<string, string> = {
  'browse@a': 'a2@example.com',
  'upgrade@a': 'a2@example.com',
  'browse@b': 'b-none2@example.com',
  'upgrade@b': 'b-active2@example.com',
  'browse@c': 'c2@example.com',
  'upgrade@c': 'c2@example.com',
};

/** `browse` needs an account in state `none`, `upgrade` one in state `active`. */
function journey(name: string, accountState: string): string {
  return `
import { defineJourney, expect } from 'journey-prober';
export default defineJourney({
  name: '${name}',
  description: 'opens /ok on the test site',
  accountState: '${accountState}',
  steps: ['open'],
  async run({ page, target, step }) {
    await step('open', async () => {
      await page.goto(target.baseUrl + '/ok');
      await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
    });
  },
});
`;
}

function config(baseUrl: string): string[] {
  const account = (email: string) => `{ email: '${email}', passwordEnv: PROBER_E2E_PASSWORD }`;
  return [
    ...BASE_CONFIG,
    'targets:',
    `  a: { baseUrl: '${baseUrl}', accounts: { default: ${account('a2@example.com')} } }`,
    `  b: { baseUrl: '${baseUrl}', accounts: { none: ${account('b-none2@example.com')}, active: ${account('b-active2@example.com')} } }`,
    `  c: { baseUrl: '${baseUrl}', accounts: { default: ${account('c2@example.com')} } }`,
    'schedules:',
    // Every 5 s (what the test-only rules assume); upgrade 2 s after browse: two runs on one
    // account at the same tick would wait for its lock, and past half the interval one of
    // them is skipped (account_busy), which JourneyNotRunning rightly reports on a slow machine.
    ...TARGETS.flatMap((t) => [
      `  - { journey: browse, target: ${t}, ${EVERY_5S} }`,
      `  - { journey: upgrade, target: ${t}, ${EVERY_5S.replace("'*/5", "'2-59/5")} }`,
    ]),
  ];
}

const members: Member[] = [];
let prometheus: Daemon | undefined;
let site: TestSite;
/** The pairs (`journey@target`) each replica exports in synthetic_journey_info, by replica. */
const owned: string[][] = [];

beforeAll(async () => {
  site = await startTestSite();
  const journeys = { browse: journey('browse', 'none'), upgrade: journey('upgrade', 'active') };
  for (let i = 0; i < REPLICAS; i++) {
    const env = { PROBER_SHARD: `${i}/${REPLICAS}`, PROBER_E2E_PASSWORD: 'not-a-real-password' };
    await startMember(journeys, config(site.origin), { location: LOCATION }, env, members);
  }
  prometheus = await startFleetPrometheus(members);
}, 180_000);

afterAll(async () => {
  await stopFleet(prometheus, members);
  await site.close();
}, 120_000);

describe('three replicas of one location (PROBER_SHARD, real Prometheus)', () => {
  it('says which shard each replica is: /readyz, /metrics, the status page', async () => {
    for (const [i, member] of members.entries()) {
      const readyz = await member.serve.readyz();
      expect({ status: readyz.status, body: readyz.body.trim() }).toEqual({
        status: 200,
        body: `ready (shard ${i}/${REPLICAS})`,
      });
      const status = await text(member.serve.url);
      expect(status.body).toContain(`Replica ${i} of ${REPLICAS} (shard ${i}/${REPLICAS})`);
      const info = (await member.serve.metrics()).filter((s) => s.name === 'journey_prober_shard_info');
      expect(info.map((s) => s.labels)).toEqual([{ shard: String(i), shards: String(REPLICAS) }]);
    }
  });

  it('runs every pair in exactly one replica, and every account in one replica only', async () => {
    for (const member of members) owned.push([...(await perPair(member, 'synthetic_journey_info')).keys()]);
    expect(owned.flat().sort()).toEqual(Object.keys(ACCOUNT).sort());
    for (const o of owned) expect(o.length).toBeGreaterThanOrEqual(1);
    // Each replica has run each of its pairs at least twice, so a pair another replica also
    // scheduled would have run there too by now (every 5 s, runOnStart).
    for (const [i, member] of members.entries()) {
      await poll(
        `replica ${i} ran each of ${owned[i]!.join(', ')} twice`,
        async () => {
          const runs = await perPair(member, 'synthetic_journey_runs_total');
          return owned[i]!.every((p) => (runs.get(p) ?? 0) >= 2) ? true : undefined;
        },
        90_000,
        500,
      );
    }
    const ranIn = new Map<string, number[]>();
    for (const [i, member] of members.entries()) {
      for (const [pair, runs] of await perPair(member, 'synthetic_journey_runs_total'))
        if (runs > 0) ranIn.set(pair, [...(ranIn.get(pair) ?? []), i]);
    }
    for (const pair of Object.keys(ACCOUNT))
      expect(`${pair}: ${JSON.stringify(ranIn.get(pair))}`).toBe(
        `${pair}: ${JSON.stringify([owned.findIndex((o) => o.includes(pair))])}`,
      );
    const replicaOf = new Map<string, Set<number>>();
    for (const [pair, [replica]] of ranIn)
      replicaOf.set(ACCOUNT[pair]!, (replicaOf.get(ACCOUNT[pair]!) ?? new Set()).add(replica!));
    expect(replicaOf.size).toBe(4);
    for (const [account, replicas] of replicaOf)
      expect(`${account}: ${[...replicas].join(',')}`).toMatch(/: \d$/);
    console.info(
      `replicas: ${owned.map((o, i) => `${i}/${REPLICAS} runs ${o.join(' ') || 'nothing'}`).join('; ')}`,
    );
  }, 120_000);

  it('a stopped replica is alerted for itself only; the others keep measuring their pairs', async () => {
    const prom = prometheus!;
    // The replica with the most pairs, so its absence is the largest to see.
    const stopped = owned.reduce((best, o, i) => (o.length > owned[best]!.length ? i : best), 0);
    const others = owned.filter((_, i) => i !== stopped).flat();
    const stoppedAt = Date.now();
    await members[stopped]!.serve.stop();
    const down = await untilFiring(prom, 'alertname="JourneyProberDown"', 60_000);
    expect(down.map((a) => a.instance)).toEqual([members[stopped]!.address]);
    expect(down[0]).toMatchObject({ location: LOCATION, severity: 'page', component: 'prober' });
    // The stopped replica's series are stale; JourneyNotRunning's replica_down rule reports
    // its pairs once their last run is older than the window (15 s, 3 run intervals of 5 s).
    const stoppedPairs = [...owned[stopped]!].sort();
    const pairsOf = (alerts: Record<string, string>[]): string[] =>
      [...new Set(alerts.map((a) => `${a.journey}@${a.target}`))].sort();
    const dead = await untilFiring(
      prom,
      'alertname="JourneyNotRunning",cause="replica_down"',
      60_000,
      (alerts) => pairsOf(alerts).length >= stoppedPairs.length,
      `JourneyNotRunning firing for ${stoppedPairs.join(', ')}`,
    );
    expect(pairsOf(dead)).toEqual(stoppedPairs);
    for (const alert of dead)
      expect(alert).toMatchObject({
        location: LOCATION,
        severity: 'ticket',
        component: 'prober',
        window: '15s',
      });
    const notRunningAt = Date.now();
    // Since the stop, no other pair was ever reported as not running, by either rule.
    const window = Math.ceil((Date.now() - stoppedAt) / 1000) + 5;
    const notRunning = await everRaised(prom, 'alertname="JourneyNotRunning"', window);
    const reported = pairsOf(notRunning);
    expect(reported).toEqual(stoppedPairs);
    for (const pair of others) expect(reported).not.toContain(pair);
    for (const [i, member] of members.entries()) {
      if (i === stopped) continue;
      const runs = await perPair(member, 'synthetic_journey_runs_total');
      for (const pair of owned[i]!) expect(runs.get(pair) ?? 0).toBeGreaterThanOrEqual(3);
    }
    // Runs skipped (account_busy when a run outlasts half the interval on a loaded machine), for the report.
    const skipped = await Promise.all(
      members.filter((_, i) => i !== stopped).map((m) => perPair(m, 'synthetic_journey_runs_skipped_total')),
    );
    console.info(
      `replicas: skipped runs ${JSON.stringify(skipped.map((m) => Object.fromEntries(m)))}; stopped ${stopped}/${REPLICAS} (${owned[stopped]!.join(' ')}): JourneyProberDown for ${down[0]?.instance}; JourneyNotRunning for [${reported.join(' ')}] ${((notRunningAt - stoppedAt) / 1000).toFixed(1)} s after the stop`,
    );
  }, 120_000);
});
