import { join } from 'node:path';
import { freePort, poll } from '../helpers/http.js';
import { ServeUnderTest, type InProcessServe } from '../helpers/serve.js';
import { Daemon, promQuery, TEST_RULES_DIR } from './daemons.js';

/** Every test-only schedule runs every 5 s: what the test-only rules assume. */
export const EVERY_5S = "cron: '*/5 * * * * *', jitterMs: 0, runOnStart: true";

/** One `serve` of a fleet, and the target labels Prometheus gives it (as a ServiceMonitor would). */
export interface Member {
  readonly serve: InProcessServe;
  /** host:port, Prometheus' `instance` label. */
  readonly address: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The config lines every fleet member shares; `targets:` and `schedules:` follow. */
export const BASE_CONFIG = [
  'journeysDir: journeys',
  'concurrency: 2',
  'retries: 0',
  'trace: "off"',
  // Several serves share this test process's threads and the runs must finish within the 5 s
  // interval the test rules assume, on a loaded machine too: journeys in each serve's own
  // thread, as trace off, keep them cheap. These files are about alerts; isolation has its own.
  'isolation: off',
  'shutdownGraceMs: 5000',
  'results: { path: out/runs.jsonl }',
  'artifacts: { dir: out/artifacts }',
];

/** Starts one in-process serve on a free port and waits (bounded) for its /readyz. */
export async function startMember(
  journeys: Record<string, string>,
  config: readonly string[],
  labels: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
  started?: Member[],
): Promise<Member> {
  const address = `127.0.0.1:${await freePort()}`;
  const serve = await ServeUnderTest.inProcess(journeys, config, { env: { ...env, PROBER_LISTEN: address } });
  const member = { serve, address, labels };
  // Registered before ready(), so a serve that never gets ready is still disposed of.
  started?.push(member);
  await serve.ready(60_000);
  return member;
}

/**
 * Prometheus scraping every member as job `journey-prober` every second, each with its own
 * target labels (no external `location` label: the location comes from the target, as with a
 * ServiceMonitor's relabelling), evaluating the test-only rules every second. No Alertmanager:
 * the tests read `ALERTS` from Prometheus itself.
 */
export function startFleetPrometheus(members: readonly Member[]): Promise<Daemon> {
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    `rule_files: ['${TEST_RULES_DIR}/*.yml']`,
    'scrape_configs:',
    '  - job_name: journey-prober',
    '    static_configs:',
    ...members.map((m) => `      - { targets: ['${m.address}'], labels: ${JSON.stringify(m.labels)} }`),
    '',
  ].join('\n');
  return Daemon.start('prometheus', 'prometheus', { 'prometheus.yml': config }, (dir, port) => [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
}

/** The labels of the alerts matching `selector` (e.g. `alertname="X"`) firing now. */
export async function firing(prometheus: Daemon, selector: string): Promise<Record<string, string>[]> {
  const result = await promQuery(prometheus.url, `ALERTS{alertstate="firing",${selector}}`);
  return result.map((s) => s.metric);
}

/** The labels of the alerts matching `selector` pending or firing at any time in the last `seconds`. */
export async function everRaised(
  prometheus: Daemon,
  selector: string,
  seconds: number,
): Promise<Record<string, string>[]> {
  const result = await promQuery(prometheus.url, `max_over_time(ALERTS{${selector}}[${seconds}s])`);
  return result.map((s) => s.metric);
}

/**
 * Polls (every 500 ms, at most `timeoutMs`) until the alerts matching `selector` firing now
 * are `enough` (by default: any); their labels.
 */
export function untilFiring(
  prometheus: Daemon,
  selector: string,
  timeoutMs: number,
  enough: (alerts: Record<string, string>[]) => boolean = (alerts) => alerts.length > 0,
  what = `an alert ${selector} firing in Prometheus`,
): Promise<Record<string, string>[]> {
  return poll(
    what,
    async () => {
      const found = await firing(prometheus, selector);
      return enough(found) ? found : undefined;
    },
    timeoutMs,
    500,
  );
}

/**
 * A metric of one member's /metrics, the series matching `labels`, summed per
 * `journey@target` (every other label summed over).
 */
export async function perPair(
  member: Member,
  metric: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const s of await member.serve.metrics()) {
    if (s.name !== metric || Object.entries(labels).some(([k, v]) => s.labels[k] !== v)) continue;
    const pair = `${s.labels.journey}@${s.labels.target}`;
    counts.set(pair, (counts.get(pair) ?? 0) + s.value);
  }
  return counts;
}

/** Stops Prometheus first (no scrape of a stopping serve is needed), then every member. */
export async function stopFleet(prometheus: Daemon | undefined, members: readonly Member[]): Promise<void> {
  await prometheus?.stop();
  for (const member of members) await member.serve.dispose();
}
