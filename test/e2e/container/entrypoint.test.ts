import { randomUUID } from 'node:crypto';
import { chownSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { freePort } from '../helpers/http.js';
import { ChildUnderTest } from '../helpers/process.js';
import { layOutImage, type ImageLayout } from './image-layout.js';
import {
  UNPRIVILEGED,
  asUnprivileged,
  cmdlineOf,
  pidsWithEnv,
  uidOf,
  userNamespacesWork,
} from './processes.js';

/**
 * The image's ENTRYPOINT + CMD (tini → node bin/journey-prober.js serve), run outside a
 * container as an unprivileged user against the default config's in-process sandbox: it
 * becomes ready, and SIGTERM (what `docker stop` and the kubelet send) ends it cleanly.
 */
const REPO = join(import.meta.dirname, '../../..');
const MARKER = 'JOURNEY_PROBER_E2E_MARKER';
const marker = randomUUID();
const graceMs = configSchema.parse({}).shutdownGraceMs;

let layout: ImageLayout | undefined;
let entrypoint: ChildUnderTest | undefined;
let base = '';
/** What the entrypoint wrote, for a failed assertion's message. */
const output = (): string => `${entrypoint?.stdout ?? ''}${entrypoint?.stderr ?? ''}`;

async function status(path: string): Promise<number | undefined> {
  try {
    return (await fetch(`${base}${path}`, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return undefined;
  }
}

/** Polls `path` until it answers `want`, the process exits, or `ms` pass. */
async function until(path: string, want: number, ms: number): Promise<number | undefined> {
  const deadline = Date.now() + ms;
  let last: number | undefined;
  while (Date.now() < deadline && entrypoint?.running === true) {
    last = await status(path);
    if (last === want) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

beforeAll(async () => {
  layout = layOutImage(REPO);
  if (process.getuid?.() === 0) chownSync(layout.data, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    ...layout.env,
    // Tests never use 9464; the image's value is checked by the unit test.
    PROBER_LISTEN: `127.0.0.1:${port}`,
    TMPDIR: layout.tmp,
    // tini is PID 1 in the container; here it registers as a subreaper to reap the same way.
    TINI_SUBREAPER: '1',
    [MARKER]: marker,
    ...(userNamespacesWork() ? {} : { PROBER_NO_SANDBOX: '1' }),
  };
  const [command, ...args] = asUnprivileged(layout.argv);
  entrypoint = new ChildUnderTest(command!, args, { cwd: layout.cwd, env });
});

afterAll(() => {
  if (entrypoint?.running === true) entrypoint.kill();
  for (const pid of pidsWithEnv(MARKER, marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  if (layout !== undefined) rmSync(layout.root, { recursive: true, force: true });
});

describe('the image entrypoint, outside a container', () => {
  it('runs tini and serve as the unprivileged user, and becomes ready', async () => {
    expect(layout!.argv[0]).toMatch(/(^|\/)(tini|dumb-init)$/);
    expect(await until('/readyz', 200, 90_000), `serve did not become ready:\n${output()}`).toBe(200);
    expect(await status('/healthz')).toBe(200);
    const pids = pidsWithEnv(MARKER, marker);
    if (process.getuid?.() === 0) {
      for (const pid of pids) expect(uidOf(pid), cmdlineOf(pid)).toBe(UNPRIVILEGED.uid);
    }
    expect(pids.some((pid) => cmdlineOf(pid).includes('journey-prober.js serve'))).toBe(true);
    expect(
      pids.some((pid) => /chromium/.test(cmdlineOf(pid))),
      'readiness means the browser is up',
    ).toBe(true);
  });

  it('ends cleanly on SIGTERM within the grace period, leaving no Chromium behind', async () => {
    expect(entrypoint?.child.exitCode, `serve exited before SIGTERM:\n${output()}`).toBeNull();
    const started = performance.now();
    // What `docker stop` does: SIGTERM to PID 1 (tini), which forwards it to node.
    process.kill(entrypoint!.pid, 'SIGTERM');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs + 10_000).unref());
    const result = await Promise.race([entrypoint!.exited, timeout]);
    const elapsed = performance.now() - started;
    expect(result, `no exit within ${graceMs + 10_000} ms:\n${output()}`).not.toBe('timeout');
    expect(result, output()).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeLessThan(graceMs + 5_000);

    let left = pidsWithEnv(MARKER, marker);
    for (let i = 0; i < 20 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      left = pidsWithEnv(MARKER, marker);
    }
    expect(left.map(cmdlineOf), 'processes left behind').toEqual([]);
    // Everything it wrote went to /data or /tmp: the unprivileged user cannot write to /app.
    expect(readdirSync(layout!.data).every((f) => ['artifacts', 'results'].includes(f))).toBe(true);
  });
});
