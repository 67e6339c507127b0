import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Secret } from '../../../src/index.js';
import type { TargetInfo } from '../../../src/journey/types.js';
import type { BrowserPool } from '../../../src/runner/browser.js';
import type { RunOptions } from '../../../src/runner/types.js';
import { silentLogger, testPool } from './browser.js';
import { startTestSite, type TestSite } from './test-site.js';

/** What a file of runner tests against the local test site shares (set in its beforeAll). */
export interface SiteRuns {
  readonly site: TestSite;
  readonly pool: BrowserPool;
  /** The test site as target `local`. */
  readonly target: TargetInfo;
  /** A temporary artifacts directory, removed after the file. */
  readonly root: string;
  /** Run options on the shared pool: the site's account, a silent log, artifacts under `root`. */
  options(over?: Partial<RunOptions>): RunOptions;
}

/**
 * Registers the file's beforeAll/afterAll: a test site, a launched browser pool and an
 * artifacts directory named after `prefix`; read the fields inside tests only.
 */
export function useSiteRuns(prefix: string): SiteRuns {
  let site: TestSite | undefined;
  let pool: BrowserPool | undefined;
  let root: string | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useSiteRuns: read before its beforeAll ran');
    return value;
  };
  beforeAll(async () => {
    site = await startTestSite();
    pool = testPool();
    await pool.launch();
    root = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await pool?.close();
    await site?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });
  const runs: SiteRuns = {
    get site() {
      return ready(site);
    },
    get pool() {
      return ready(pool);
    },
    get target() {
      return { name: 'local', baseUrl: ready(site).origin, allowPurchases: true, params: {} };
    },
    get root() {
      return ready(root);
    },
    options: (over = {}) => ({
      browser: runs.pool,
      accounts: () => Promise.resolve({ email: 'qa@example.com', password: new Secret(runs.site.password) }),
      log: silentLogger(),
      artifactsDir: runs.root,
      ...over,
    }),
  };
  return runs;
}
