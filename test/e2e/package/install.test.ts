import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, text } from '../helpers/http.js';
import { ChildUnderTest } from '../helpers/process.js';
import { writeConsumer } from './consumer.js';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const TSC = join(ROOT, 'node_modules/.bin/tsc');

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function sh(command: string, args: readonly string[], cwd: string, timeout: number): Promise<Ran> {
  try {
    const { stdout, stderr } = await exec(command, [...args], {
      cwd,
      timeout,
      maxBuffer: 32 * 1024 * 1024,
      env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const JOURNEY = `import { defineJourney, expect } from 'journey-prober';

export default defineJourney({
  name: 'home-page',
  description: 'The home page answers',
  steps: ['open', 'check'],
  async run({ page, target, step }) {
    await step('open', async () => {
      await page.goto(target.baseUrl);
    });
    await step('check', async () => {
      await expect(page).toHaveTitle(/./);
    });
  },
});
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    // No @types/node: the public API's own types must not need it (Playwright's are skipped).
    types: [],
    skipLibCheck: true,
  },
  include: ['journeys'],
};

/** Not copied with the checkout: installed or generated there, or the test's own output. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', '.prober', 'artifacts']);

/**
 * A copy of the checkout to pack, sharing its node_modules: `npm pack` deletes and rebuilds
 * dist/ (prepack, prepare), and the e2e files running beside this one start the command from
 * the checkout's dist/.
 */
function copyCheckout(into: string): string {
  cpSync(ROOT, into, {
    recursive: true,
    filter: (source) => source === ROOT || !NOT_COPIED.has(source.slice(ROOT.length + 1).split('/')[0]!),
  });
  symlinkSync(join(ROOT, 'node_modules'), join(into, 'node_modules'), 'dir');
  return into;
}

/**
 * What a new user does: `npm pack`, install the tarball into an empty directory (offline, from
 * the npm cache the project's `npm ci` filled), then run the command and type-check a journey.
 */
describe('the packed package, installed into an empty directory', () => {
  let work: string;
  let consumer: string;
  let files: string[] = [];
  const bin = () => join(consumer, 'node_modules/.bin/journey-prober');

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'jp-pack-'));
    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    const checkout = copyCheckout(join(work, 'checkout'));
    const packed = await sh('npm', ['pack', '--json', '--pack-destination', consumer], checkout, 240_000);
    expect(packed.code, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = info!.files.map((f) => f.path).sort();
    writeConsumer(consumer, ROOT, info!.filename);
    const installed = await sh(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'],
      consumer,
      240_000,
    );
    expect(installed.code, installed.stderr).toBe(0);
  }, 480_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds what a user runs and nothing else', () => {
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('bin/journey-prober.js');
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/journey/resolve-hooks.js');
    expect(files).toContain('journeys/purchase.journey.ts');
    expect(files).toContain('schema/journey-prober.config.schema.json');
    const allowed =
      /^(package\.json|README\.md|bin\/[^/]+\.js|dist\/.+\.js|dist\/(index|journey\/[^/]+)\.d\.ts|journeys\/.+\.ts|schema\/[^/]+\.json)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    for (const banned of [/^test\//, /^bench\//, /^docs\//, /\.png$/, /^src\//, /tsbuildinfo/, /\.env/]) {
      expect(
        files.filter((f) => banned.test(f)),
        String(banned),
      ).toEqual([]);
    }
  });

  it('--version names the package, Playwright and the browser', async () => {
    const ran = await sh(bin(), ['--version'], consumer, 30_000);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(
      /^journey-prober 0\.\d+\.\d+\nplaywright 1\.\d+\.\d+\nbrowser (Chromium|Google Chrome)[^\n]*\d+\.\d+/,
    );
  });

  it('list shows the built-in journeys and the directories it searched', async () => {
    const ran = await sh(bin(), ['list', '--json'], consumer, 60_000);
    expect(ran.code, ran.stderr).toBe(0);
    const listed = JSON.parse(ran.stdout) as { journeys: { name: string }[]; searched: string[] };
    expect(listed.journeys.map((j) => j.name)).toEqual(['purchase', 'renewal', 'seat-change']);
    expect(listed.searched).toEqual([
      `${join(consumer, 'journeys')} (not there)`,
      join(consumer, 'node_modules/journey-prober/journeys'),
    ]);
  });

  it('run purchase passes against the in-process sandbox', async () => {
    const ran = await sh(bin(), ['run', 'purchase', '--json', '--artifacts', 'out'], consumer, 180_000);
    expect(ran.code, ran.stderr).toBe(0);
    const result = JSON.parse(ran.stdout.trim()) as { outcome: string; journey: string };
    expect(result).toMatchObject({ journey: 'purchase', outcome: 'success' });
  });

  it('demo starts from the empty directory: ready, a run on the status page, a clean exit on SIGTERM', async () => {
    // A free port, not the default 9464 another suite on this machine may hold.
    const demo = new ChildUnderTest(bin(), ['demo'], {
      cwd: consumer,
      env: { PROBER_LISTEN: '127.0.0.1:0', NO_COLOR: '1' },
      inheritEnv: true,
    });
    try {
      const url = await poll(
        'the demo to print its status page',
        // Not a terminal: JSON log lines, the URLs in one of them ("status_page":"http://…/").
        () => Promise.resolve(/"status_page":"(http:\/\/127\.0\.0\.1:\d+)\/"/.exec(demo.stdout)?.[1]),
        60_000,
      );
      expect((await text(`${url}/readyz`)).status).toBe(200);
      // Every journey runs at start (runOnStart): the first one to end shows as a link to its run.
      const page = await poll(
        'a finished run on the status page',
        async () => {
          const shown = await text(`${url}/`);
          return /href="\/runs\/[^"]+"/.test(shown.body) ? shown.body : undefined;
        },
        180_000,
        1_000,
      );
      expect(page).toMatch(/purchase|renewal|seat-change/);
      const exit = await demo.stop(60_000);
      expect(exit, demo.stderr).toEqual({ code: 0, signal: null });
    } finally {
      demo.kill();
    }
  }, 330_000);

  it("a project's own journey type-checks with strict and exactOptionalPropertyTypes, and joins the built-ins", async () => {
    mkdirSync(join(consumer, 'journeys'), { recursive: true });
    writeFileSync(join(consumer, 'journeys/home-page.journey.ts'), JOURNEY);
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const checked = await sh(TSC, ['--noEmit', '-p', '.'], consumer, 120_000);
    expect(checked.code, checked.stdout).toBe(0);
    const listed = await sh(bin(), ['list', '--json'], consumer, 60_000);
    expect(listed.code, listed.stderr).toBe(0);
    const names = (JSON.parse(listed.stdout) as { journeys: { name: string }[] }).journeys.map((j) => j.name);
    expect(names).toEqual(['home-page', 'purchase', 'renewal', 'seat-change']);
  });

  it('a step name missing from `steps` is a compile error in the consumer', async () => {
    writeFileSync(
      join(consumer, 'journeys/home-page.journey.ts'),
      JOURNEY.replace("step('check'", "step('chekc'"),
    );
    const checked = await sh(TSC, ['--noEmit', '-p', '.'], consumer, 120_000);
    expect(checked.code).not.toBe(0);
    expect(checked.stdout).toMatch(
      /home-page\.journey\.ts\(\d+,\d+\): error TS2345: Argument of type '"chekc"'/,
    );
  });

  it('an unknown journey says which directories were searched (exit 2)', async () => {
    const ran = await sh(bin(), ['run', 'nosuch'], consumer, 60_000);
    expect(ran.code).toBe(2);
    expect(ran.stderr.trim()).toBe(
      `journey-prober: unknown journey "nosuch" (known: home-page, purchase, renewal, seat-change; searched ${join(consumer, 'journeys')}, ${join(consumer, 'node_modules/journey-prober/journeys')})`,
    );
  });
});
