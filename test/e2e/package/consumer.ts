import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly dev?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly [key: string]: unknown;
}

interface Lock {
  readonly packages: Record<string, LockEntry>;
}

/**
 * A consumer project that depends on the packed tarball, with a lock file listing the
 * package's production dependencies exactly as the project's own lock resolves them: npm can
 * then install it with `--offline` from the tarball and the npm cache that `npm ci` filled,
 * without asking the registry for a single package document.
 */
export function writeConsumer(dir: string, root: string, tarball: string): void {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
    engines: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lock;
  const spec = `file:${tarball}`;
  const production = Object.entries(lock.packages).filter(
    ([path, entry]) => path.startsWith('node_modules/') && entry.dev !== true,
  );
  const consumer = {
    name: 'consumer',
    version: '1.0.0',
    private: true,
    type: 'module',
    dependencies: { 'journey-prober': spec },
  };
  const integrity = `sha512-${createHash('sha512')
    .update(readFileSync(join(dir, tarball)))
    .digest('base64')}`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(consumer, null, 2)}\n`);
  writeFileSync(
    join(dir, 'package-lock.json'),
    `${JSON.stringify(
      {
        name: 'consumer',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'consumer', version: '1.0.0', dependencies: consumer.dependencies },
          'node_modules/journey-prober': {
            version: manifest.version,
            resolved: spec,
            integrity,
            license: 'MIT',
            dependencies: manifest.dependencies,
            bin: manifest.bin,
            engines: manifest.engines,
          },
          ...Object.fromEntries(production),
        },
      },
      null,
      2,
    )}\n`,
  );
}
