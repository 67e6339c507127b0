import { rmSync } from 'node:fs';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { freePort, text } from '../helpers/http.js';
import { parseMetrics, sum } from '../helpers/metrics.js';
import { ServeUnderTest, workdir } from '../helpers/serve.js';
import { testAlertmanagerConfig } from './alertmanager-config.js';
import { promQuery, startAlertmanager, startPrometheus, type Daemon } from './daemons.js';
import { ERRING_JOURNEY, PURCHASE_JOURNEY, WOBBLY_JOURNEY } from './journeys.js';
import { WebhookReceiver } from './webhook.js';

/** The external label Prometheus puts on every alert it sends. */
export const LOCATION = 'e2e';

/**
 * The whole alert pipeline on 127.0.0.1: the sandbox portal, `serve` (in this process) probing it every 5 s
 * (what the test-only rules assume), Prometheus with the test-only rules, Alertmanager with
 * the deployed routing, and the webhook receiver the routes post to.
 */
export interface Stack {
  readonly sandbox: Sandbox;
  readonly webhook: WebhookReceiver;
  readonly alertmanager: Daemon;
  readonly prometheus: Daemon;
  readonly serve: ServeUnderTest;
  readonly serveUrl: string;
  /** A counter of serve's /metrics, summed over the series matching `labels`. */
  metric(name: string, labels: Record<string, string>): Promise<number>;
  query(promql: string): ReturnType<typeof promQuery>;
  /** Replaces the sandbox's fault set (`[]` clears it). */
  faults(faults: readonly unknown[]): Promise<void>;
}

const EVERY_5S = "cron: '*/5 * * * * *', jitterMs: 0, runOnStart: true";

function serveConfig(portalUrl: string): string {
  return [
    'journeysDir: journeys',
    'concurrency: 3',
    // One retry: a run that fails once and then passes is `flaky` (a good run).
    'retries: 1',
    'trace: "off"',
    'shutdownGraceMs: 10000',
    'results: { path: out/runs.jsonl }',
    'artifacts: { dir: out/artifacts }',
    'targets:',
    `  sandbox: { baseUrl: '${portalUrl}' }`,
    'schedules:',
    ...['purchase', 'erring', 'wobbly'].map((j) => `  - { journey: ${j}, target: sandbox, ${EVERY_5S} }`),
    '',
  ].join('\n');
}

/** Everything a stack may have started, stopped in reverse order; safe on a half-started stack. */
export class StackParts {
  sandbox?: Sandbox;
  webhook?: WebhookReceiver;
  alertmanager?: Daemon;
  prometheus?: Daemon;
  serve?: ServeUnderTest;
  workDir?: string;

  async stop(): Promise<void> {
    await this.prometheus?.stop();
    await this.serve?.dispose();
    await this.alertmanager?.stop();
    await this.webhook?.close();
    await this.sandbox?.close();
    if (this.workDir !== undefined) rmSync(this.workDir, { recursive: true, force: true });
  }
}

export async function startStack(parts: StackParts): Promise<Stack> {
  const sandbox = (parts.sandbox = await startSandbox({ provisioningDelayMs: 500 }));
  const webhook = (parts.webhook = await WebhookReceiver.start());
  const alertmanager = (parts.alertmanager = await startAlertmanager(
    testAlertmanagerConfig(webhook.origin, { groupWait: '1s', groupInterval: '2s', resolveTimeout: '10s' }),
  ));
  const work = workdir(
    { purchase: PURCHASE_JOURNEY, erring: ERRING_JOURNEY, wobbly: WOBBLY_JOURNEY },
    serveConfig(sandbox.portalUrl),
  );
  parts.workDir = work.dir;
  const serveAddress = `127.0.0.1:${await freePort()}`;
  const serveUrl = `http://${serveAddress}`;
  // A process of its own: the alert pipeline's timing must not share this test's event loop.
  const serve = (parts.serve = await ServeUnderTest.process({}, [], {
    work,
    env: { PROBER_LISTEN: serveAddress },
  }));
  // ready() fails at once, with serve's last lines, if serve ends instead.
  await serve.ready(60_000);
  const prometheus = (parts.prometheus = await startPrometheus({
    serveAddress,
    alertmanagerAddress: new URL(alertmanager.url).host,
    location: LOCATION,
  }));
  return {
    sandbox,
    webhook,
    alertmanager,
    prometheus,
    serve,
    serveUrl,
    metric: async (name, labels) => sum(parseMetrics((await text(`${serveUrl}/metrics`)).body), name, labels),
    query: (promql) => promQuery(prometheus.url, promql),
    faults: async (faults) => {
      const res = await fetch(`${sandbox.portalUrl}/__sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status !== 200)
        throw new Error(`PUT /__sandbox/faults: HTTP ${res.status} ${await res.text()}`);
    },
  };
}
