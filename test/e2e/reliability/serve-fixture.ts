import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { RunResult } from '../../../src/journey/types.js';
import {
  aliveInGroup,
  chromiumGroupsOf,
  freePort,
  parseMetrics,
  poll,
  ProberProcess,
  sum,
  text,
  workdir,
  type Sample,
} from '../serve/harness.js';

export { aliveInGroup, chromiumGroupsOf, parseMetrics, poll, sum, text, type Sample };

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

/** One serve process of a reliability test, with its work dir, URL and readers. */
export class ServeUnderTest {
  readonly work: ReturnType<typeof workdir>;
  readonly prober: ProberProcess;
  readonly url: string;

  private constructor(work: ReturnType<typeof workdir>, prober: ProberProcess, url: string) {
    this.work = work;
    this.prober = prober;
    this.url = url;
  }

  /**
   * Writes the journeys and config (YAML lines) to a temp dir (or the config into `work`)
   * and starts serve on a free port.
   */
  static async start(
    journeys: Record<string, string>,
    config: readonly string[],
    env: NodeJS.ProcessEnv = {},
    work = workdir(journeys, [...config, ''].join('\n')),
  ): Promise<ServeUnderTest> {
    if (config.length > 0) writeFileSync(work.config, [...config, ''].join('\n'));
    const port = await freePort();
    const prober = new ProberProcess(
      ['serve', '--config', work.config],
      { PROBER_LISTEN: `127.0.0.1:${port}`, ...env },
      work.dir,
    );
    return new ServeUnderTest(work, prober, `http://127.0.0.1:${port}`);
  }

  async ready(timeoutMs = 45_000): Promise<void> {
    await poll(
      'serve ready',
      async () =>
        (await text(`${this.url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined,
      timeoutMs,
    );
  }

  async readyz(): Promise<{ status: number; body: string }> {
    return text(`${this.url}/readyz`);
  }

  async metrics(): Promise<Sample[]> {
    return parseMetrics((await text(`${this.url}/metrics`)).body);
  }

  /** Every line of the results log, parsed (a line that does not parse throws). */
  runs(path = this.work.results): RunResult[] {
    let body: string;
    try {
      body = readFileSync(path, 'utf8');
    } catch {
      return [];
    }
    return body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as RunResult);
  }

  /** Waits until the results log holds at least `count` runs matching `which`. */
  async runsWhere(
    what: string,
    which: (r: RunResult) => boolean,
    count: number,
    timeoutMs: number,
  ): Promise<RunResult[]> {
    return poll(
      what,
      () => {
        const found = this.runs().filter(which);
        return Promise.resolve(found.length >= count ? found : undefined);
      },
      timeoutMs,
      100,
    );
  }

  /** The last lines serve wrote (for a failed test's report). */
  tail(lines = 40): string {
    return [...this.prober.stdout.split('\n').slice(-lines), this.prober.stderr].join('\n');
  }

  logLines(): Record<string, unknown>[] {
    return this.prober.logLines();
  }

  /** SIGTERM and the exit, with how long it took. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const t0 = Date.now();
    this.prober.signal('SIGTERM');
    const exit = await this.prober.exited;
    return { ...exit, ms: Date.now() - t0 };
  }

  /** afterAll: kills what is left (process group and Chromium), removes the work dir. */
  async dispose(): Promise<void> {
    const child = this.prober.child;
    if (child.exitCode === null && child.signalCode === null) {
      this.prober.kill();
      await this.prober.exited;
    }
    rmSync(this.work.dir, { recursive: true, force: true });
  }
}

/** /proc/<pid>/stat fields: state and parent. */
export function procState(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Children of `pid` that are zombies (exited, never reaped by it). */
export function zombieChildren(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((p) => {
      const s = procState(p);
      return s !== undefined && s.ppid === pid && s.state === 'Z';
    });
}

/** Live (not zombie) processes whose command line mentions Chromium, in the given groups. */
export function liveChromium(groups: readonly number[]): number[] {
  return groups.flatMap((g) => aliveInGroup(g));
}

/** Resident memory (kB) and open file descriptors of a process. */
export function footprint(pid: number): { rssKb: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { rssKb: rss, fds: readdirSync(`/proc/${pid}/fd`).length };
}
