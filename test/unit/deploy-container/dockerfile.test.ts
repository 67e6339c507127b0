import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { all, execForm, options, parseDockerfile, stageEnv, words, type Stage } from './dockerfile.js';
import { isIgnored, parseDockerignore } from './dockerignore.js';

const ROOT = join(import.meta.dirname, '../../..');
const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const ignore = parseDockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
const runtime = stages.at(-1)!;
const build = stages.find((s) => s !== runtime && s.name !== undefined)!;

function runs(stage: Stage): string {
  return all(stage, 'RUN')
    .map((i) => i.args)
    .join('\n');
}

function last(stage: Stage, keyword: string): string[] {
  const instruction = all(stage, keyword).at(-1);
  expect(instruction, `${keyword} in the runtime stage`).toBeDefined();
  const form = execForm(instruction!.args);
  expect(form, `${keyword} uses the exec form (signals reach the process)`).toBeDefined();
  return form!;
}

describe('Dockerfile', () => {
  it('is multi-stage, every base image pinned to a version tag on Debian bookworm', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const names = new Set(stages.map((s) => s.name));
    for (const stage of stages) {
      if (names.has(stage.image)) continue; // FROM an earlier stage
      expect(stage.image, 'no ARG indirection, no :latest').toMatch(
        /^[\w./-]+:\d+\.\d+\.\d+-bookworm(-slim)?(@sha256:[0-9a-f]{64})?$/,
      );
    }
  });

  it('installs production dependencies with npm ci --omit=dev, without skipping optional ones', () => {
    expect(build).toBeDefined();
    const script = runs(build);
    expect(script).toMatch(/npm ci\b[^\n]*--omit=dev/);
    expect(script).not.toMatch(/--omit=optional|--no-optional/);
    expect(stageEnv(build).PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).toBe('1');
    expect(runs(runtime)).not.toMatch(/npm (ci|install)|playwright install/);
    const fromBuild = all(runtime, 'COPY').filter((c) => options(c.args).flags.from === build.name);
    expect(fromBuild.map((c) => options(c.args).rest[0])).toContain('/app/node_modules');
  });

  it("installs Debian's chromium, fonts and an init from apt in the runtime stage", () => {
    const install = /apt-get install\b([^&;]*)/.exec(runs(runtime));
    expect(install, 'apt-get install in the runtime stage').not.toBeNull();
    const packages = words(install![1]!).filter((w) => !w.startsWith('-'));
    expect(packages).toContain('chromium');
    expect(packages.some((p) => p.startsWith('fonts-'))).toBe(true);
    expect(packages.some((p) => p === 'tini' || p === 'dumb-init')).toBe(true);
    expect(runs(runtime)).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
  });

  it('runs as a numeric non-root user', () => {
    const user = all(runtime, 'USER').at(-1)?.args ?? '';
    const [uid, gid] = user.split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    if (gid !== undefined) expect(gid).toMatch(/^\d+$/);
    expect(runs(runtime)).toContain(`--uid ${uid}`);
  });

  it('starts through an init that forwards signals, serving by default', () => {
    const entrypoint = last(runtime, 'ENTRYPOINT');
    expect(entrypoint[0]).toMatch(/(^|\/)(tini|dumb-init)$/);
    expect(entrypoint).toContain('/app/bin/journey-prober.js');
    expect(last(runtime, 'CMD')).toEqual(['serve']);
  });

  it('listens on 0.0.0.0:9464, exposes 9464 and health-checks /healthz with node', () => {
    const env = stageEnv(runtime);
    expect(env.PROBER_LISTEN).toBe('0.0.0.0:9464');
    expect(all(runtime, 'EXPOSE').flatMap((e) => words(e.args))).toContain('9464');
    const check = all(runtime, 'HEALTHCHECK').at(-1)?.args ?? '';
    const cmd = execForm(/\bCMD\s+(\[.*\])$/.exec(check)?.[1] ?? '');
    expect(cmd?.[0]).toBe('node');
    expect(cmd?.join(' ')).toContain('/healthz');
    expect(cmd?.join(' ')).toContain('fetch(');
  });

  it('points the prober at the baked-in config, Chromium and a /data volume', () => {
    const env = stageEnv(runtime);
    expect(env.PROBER_BROWSER_PATH).toMatch(/^\/usr\/(lib\/chromium\/chromium|bin\/chromium)$/);
    expect(env.PROBER_CONFIG).toBe('/app/journey-prober.config.yaml');
    expect(
      all(runtime, 'VOLUME')
        .map((v) => v.args)
        .join(' '),
    ).toContain('/data');
    const config = readFileSync(join(ROOT, copySourceOf('/app/journey-prober.config.yaml')), 'utf8');
    expect(config).toMatch(/dir: \/data\//);
    expect(config).toMatch(/path: \/data\//);
  });

  it('carries OCI labels', () => {
    const labels = all(runtime, 'LABEL')
      .map((l) => l.args)
      .join(' ');
    for (const key of ['title', 'description', 'licenses', 'version', 'revision']) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
  });

  it('copies only paths that exist in the repository and are in the build context', () => {
    const sources = stages.flatMap((stage) =>
      all(stage, 'COPY')
        .map((c) => options(c.args))
        .filter((c) => c.flags.from === undefined)
        .flatMap((c) => c.rest.slice(0, -1)),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), `COPY ${source}: exists`).toBe(true);
      expect(isIgnored(source, ignore), `COPY ${source}: not excluded by .dockerignore`).toBe(false);
    }
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, history, evidence and tests out of the build context', () => {
    for (const path of [
      'node_modules',
      'node_modules/tsx/package.json',
      '.git',
      'artifacts/x.png',
      'results',
      'test',
    ]) {
      expect(isIgnored(path, ignore), path).toBe(true);
    }
    for (const path of ['src/cli.ts', 'bin/journey-prober.js', 'package-lock.json']) {
      expect(isIgnored(path, ignore), path).toBe(false);
    }
  });
});

/** The repository path the runtime stage copies to `dest`. */
function copySourceOf(dest: string): string {
  for (const copy of all(runtime, 'COPY')) {
    const { flags, rest } = options(copy.args);
    const to = rest.at(-1)!;
    const absolute = to.startsWith('/') ? to : `/app/${to.replace(/^\.\//, '')}`;
    if (flags.from === undefined && absolute === dest && rest.length === 2) return rest[0]!;
  }
  throw new Error(`no COPY to ${dest}`);
}
