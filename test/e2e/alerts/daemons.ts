import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, poll, text } from '../helpers/http.js';

/** The rules the end-to-end test loads: the test-only variant (every duration / 60). */
export const TEST_RULES_DIR = join(import.meta.dirname, '../../../deploy/prometheus/rules-test');

/**
 * A Prometheus-family daemon (prometheus, prometheus-alertmanager) started by a test in its
 * own process group and temporary directory; `stop()` ends the group and removes the directory.
 */
export class Daemon {
  private output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly url: string,
    readonly dir: string,
  ) {
    child.stdout?.on(
      'data',
      (c: Buffer) => (this.output = (this.output + c.toString('utf8')).slice(-20_000)),
    );
    child.stderr?.on(
      'data',
      (c: Buffer) => (this.output = (this.output + c.toString('utf8')).slice(-20_000)),
    );
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts `command` with `args(dir, port)` and waits (bounded) for its `/-/ready`. */
  static async start(
    name: string,
    command: string,
    files: Record<string, string>,
    args: (dir: string, port: number) => string[],
  ): Promise<Daemon> {
    const dir = mkdtempSync(join(tmpdir(), `prober-${name}-`));
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
    const port = await freePort();
    const child = spawn(command, args(dir, port), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const daemon = new Daemon(name, child, `http://127.0.0.1:${port}`, dir);
    child.once('error', (error) => (daemon.output += `\nspawn failed: ${error.message}`));
    await poll(
      `${name} ready at ${daemon.url} (output: ${daemon.tail()})`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${daemon.tail()}`);
        const res = await text(`${daemon.url}/-/ready`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      },
      30_000,
    );
    return daemon;
  }

  /** The last lines the daemon wrote, for failure messages. */
  tail(lines = 15): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM to the group, SIGKILL after 10 s, then the temporary directory goes. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      signalGroup(pid, 'SIGTERM');
      const exited = await Promise.race([this.exited, new Promise((r) => setTimeout(r, 10_000, 'timeout'))]);
      if (exited === 'timeout') signalGroup(pid, 'SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* gone already */
  }
}

/** Alertmanager on 127.0.0.1, no clustering, with the given configuration. */
export function startAlertmanager(config: string): Promise<Daemon> {
  return Daemon.start(
    'alertmanager',
    'prometheus-alertmanager',
    { 'alertmanager.yml': config },
    (dir, port) => [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
  );
}

/**
 * Prometheus scraping serve as job `journey-prober` every second, evaluating the test-only
 * rules every second, and sending alerts to `alertmanagerUrl`.
 */
export function startPrometheus(options: {
  serveAddress: string;
  alertmanagerAddress: string;
  location: string;
}): Promise<Daemon> {
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    `  external_labels: { location: ${options.location} }`,
    `rule_files: ['${TEST_RULES_DIR}/*.yml']`,
    'alerting:',
    `  alertmanagers: [{ static_configs: [{ targets: ['${options.alertmanagerAddress}'] }] }]`,
    'scrape_configs:',
    '  - job_name: journey-prober',
    `    static_configs: [{ targets: ['${options.serveAddress}'] }]`,
    '',
  ].join('\n');
  return Daemon.start('prometheus', 'prometheus', { 'prometheus.yml': config }, (dir, port) => [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
}

/** An instant PromQL query; rejects on a Prometheus error. */
export async function promQuery(
  prometheusUrl: string,
  query: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await text(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = JSON.parse(res.body) as {
    status: string;
    data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success' || body.data === undefined) throw new Error(`${query}: ${res.body}`);
  return body.data.result;
}
