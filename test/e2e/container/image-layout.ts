import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { all, execForm, options, parseDockerfile, stageEnv } from '../../unit/deploy-container/dockerfile.js';

/**
 * The image's runtime stage, laid out on this machine without a Docker engine: its COPY
 * instructions become a tree under `root/app` (directories symlinked to the repository,
 * files copied), and every container path in ENV, ENTRYPOINT, CMD and copied files is
 * rewritten: /app, /data and /tmp to directories under `root`.
 */
export interface ImageLayout {
  /** The temporary root; remove it when done. */
  readonly root: string;
  readonly data: string;
  readonly tmp: string;
  /** ENTRYPOINT followed by CMD, paths mapped. */
  readonly argv: readonly string[];
  /** The image's ENV, paths mapped. */
  readonly env: Readonly<Record<string, string>>;
  /** USER as written (uid[:gid]). */
  readonly user: string;
  /** WORKDIR, mapped. */
  readonly cwd: string;
}

const MAPPED = ['/app', '/data', '/tmp'] as const;

/** Builds the layout from the repository's Dockerfile. */
export function layOutImage(repo: string): ImageLayout {
  const stages = parseDockerfile(readFileSync(join(repo, 'Dockerfile'), 'utf8'));
  const runtime = stages.at(-1)!;
  const root = mkdtempSync(join(tmpdir(), 'jp-image-'));
  chmodSync(root, 0o755);
  const dirs = Object.fromEntries(MAPPED.map((p) => [p, join(root, p.slice(1))])) as Record<
    (typeof MAPPED)[number],
    string
  >;
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  chmodSync(dirs['/tmp'], 0o1777);
  // One pass, so a mapped path (itself under /tmp) is never mapped again.
  const prefixes = new RegExp(`(?<![\\w.-])(${MAPPED.join('|')})(?=/|\\b|$)`, 'g');
  const map = (text: string): string =>
    text.replace(prefixes, (prefix) => dirs[prefix as (typeof MAPPED)[number]]);

  const workdir = all(runtime, 'WORKDIR').at(-1)?.args ?? '/';
  for (const copy of all(runtime, 'COPY')) {
    const { flags, rest } = options(copy.args);
    const written = rest.at(-1)!;
    const dest = posix.resolve(workdir, written);
    const sources = rest.slice(0, -1);
    if (flags.from !== undefined) {
      // The build stage's production node_modules: here, the repository's.
      for (const source of sources) link(join(repo, posix.basename(source)), map(dest));
      continue;
    }
    for (const source of sources) {
      // Docker: a destination ending in "/" (or several sources) is a directory to copy into.
      const into = sources.length > 1 || written.endsWith('/');
      const target = into ? posix.join(dest, posix.basename(source)) : dest;
      const from = join(repo, source);
      if (statSync(from).isDirectory()) link(from, map(target));
      else {
        mkdirSync(dirname(map(target)), { recursive: true });
        if (/\.(ya?ml|json)$/.test(source)) writeFileSync(map(target), map(readFileSync(from, 'utf8')));
        else copyFileSync(from, map(target));
      }
    }
  }
  const env = Object.fromEntries(Object.entries(stageEnv(runtime)).map(([k, v]) => [k, map(v)]));
  const entrypoint = execForm(all(runtime, 'ENTRYPOINT').at(-1)?.args ?? '[]') ?? [];
  const cmd = execForm(all(runtime, 'CMD').at(-1)?.args ?? '[]') ?? [];
  return {
    root,
    data: dirs['/data'],
    tmp: dirs['/tmp'],
    argv: [...entrypoint, ...cmd].map(map),
    env,
    user: all(runtime, 'USER').at(-1)?.args ?? 'root',
    cwd: map(workdir),
  };
}

function link(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  symlinkSync(from, to);
}
