import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fail } from '../../../src/journey/failure.js';
import type { Account, Journey, RunResult, StepOptions } from '../../../src/journey/types.js';
import { openResults, type RunResults } from '../../../src/results/results.js';
import { MASK_COLOR, maskLocators, screenshot, SCREENSHOT_MASK } from '../../../src/runner/evidence.js';
import { bestEffort } from '../../../src/runner/steps.js';
import type { AccountProvider } from '../../../src/runner/types.js';
import { createApp, startHttpServer, type HttpServer } from '../../../src/server/http.js';
import { junitReport } from '../../../src/sinks/junit.js';
import { runUrl } from '../../../src/status/format.js';
import { statusRoutes } from '../../../src/status/routes.js';
import { memoryLogger, silentLogger } from '../helpers/browser.js';
import { FAULT_CASES, PARAMS, purchase, renewal, seatChange } from '../journeys/fault-cases.js';
import { sandboxAccounts, startJourneyFixture, type JourneyFixture } from '../journeys/fixture.js';
import { findLeaks, inflated, scanTree, type Leak } from '../status/leak-scan.js';

/**
 * The leak test of the real journeys: each fails once at each of its steps (a sandbox fault
 * where the fault matrix has one for that step, else a failure right after the step's work),
 * and no artifact, decoded trace entry, log line, result, JUnit report or status page holds
 * the card number, the CVV, the account's email, username or password, or a session cookie.
 * The failure screenshot's masked boxes are one colour, in every case: the boxes are recorded
 * as the runner takes it, so a step the runner ends by its timeout (one more case, a hanging
 * card submission) is pixel-checked like a step whose own work gave up.
 */

// The sandbox's accepted card, and a CVV that no ordinary number contains as a whole value.
const CARD = { number: '4111 1111 1111 1111', cvv: '0917' };
const CARD_FORMS = [CARD.number, CARD.number.replace(/ /g, ''), CARD.number.replace(/ /g, '-')];
/** The CVV standing alone: not inside a longer number, word, decimal or base64 run. */
const CVV_ALONE = new RegExp(`(?<![\\w.+/-])${CARD.cvv}(?![\\w.+/-])`);

let fx: JourneyFixture;
let root: string;
let results: RunResults;
const memory = memoryLogger('debug');

beforeAll(async () => {
  fx = await startJourneyFixture({ provisioningDelayMs: 300 });
  await fx.pool.launch();
  root = await mkdtemp(join(tmpdir(), 'journey-leak-'));
  results = await openResults({ path: join(root, 'runs.jsonl'), maxBytes: 1 << 24, retainRuns: 1000 });
});

afterAll(async () => {
  await results?.close();
  await fx?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

interface Box {
  readonly what: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The mask's boxes in full-page coordinates, as the screenshot about to be taken will place them. */
async function maskBoxes(page: Page): Promise<Box[]> {
  const selectors = [
    ...SCREENSHOT_MASK.page,
    ...Object.values(SCREENSHOT_MASK.frames).flatMap((fields) => [...fields]),
  ];
  // All at once: recorded inside the runner's screenshot bound, this must not take long.
  const [[scrollX, scrollY], found] = await Promise.all([
    // The page's scroll offsets: a full-page screenshot places a viewport box at box + scroll.
    page.evaluate<[number, number]>(
      '[document.scrollingElement.scrollLeft, document.scrollingElement.scrollTop]',
    ),
    Promise.all(
      maskLocators(page).map(async (locator, i) =>
        Promise.all(
          (await locator.all()).map(async (one) => {
            const box = await one.boundingBox({ timeout: 1_000 }).catch(() => null);
            return box && box.width > 4 && box.height > 4 ? [{ what: selectors[i] ?? '?', ...box }] : [];
          }),
        ),
      ),
    ),
  ]);
  return found.flat(2).map((box) => ({ ...box, x: box.x + scrollX, y: box.y + scrollY }));
}

/** Pixels inside the box (its anti-aliased edge left out) that are not MASK_COLOR. */
function offColour(png: PNG, box: Box): number {
  const colour = [0xff, 0x00, 0xff];
  let off = 0;
  for (let y = Math.ceil(box.y) + 1; y < Math.floor(box.y + box.height) - 1; y++) {
    for (let x = Math.ceil(box.x) + 1; x < Math.floor(box.x + box.width) - 1; x++) {
      const at = (png.width * y + x) * 4;
      if (colour.some((c, k) => Math.abs(png.data[at + k]! - c) > 2)) off++;
    }
  }
  return off;
}

/** What the page held as the runner took the failure screenshot: undefined when it could not be read. */
interface Seen {
  boxes?: Box[];
  cookies?: string[];
}

/** Bound on recording the mask: it runs inside the runner's screenshot bound (SCREENSHOT_TIMEOUT_MS). */
const RECORD_MS = 2_000;

/**
 * The journey, failing at `step` right after its work when `inject`. The mask's boxes and the
 * cookies are recorded as the runner takes the failure screenshot (after it stopped the page
 * loading, on the page it captures): a step the runner ended by its timeout, whose work still
 * waits, is pixel-checked like any other.
 */
function watched(journey: Journey, step: string, inject: boolean, seen: Seen): Journey {
  return {
    ...journey,
    run: (ctx) => {
      const { page } = ctx;
      const capture = page.screenshot.bind(page);
      page.screenshot = async (options) => {
        const [boxes, cookies] = await Promise.all([
          bestEffort(() => maskBoxes(page), RECORD_MS),
          bestEffort(() => page.context().cookies(), RECORD_MS),
        ]);
        seen.boxes = boxes;
        seen.cookies = cookies?.map((c) => c.value).filter((v) => v.length >= 8);
        return capture(options);
      };
      return journey.run({
        ...ctx,
        step: <T>(name: string, body: () => Promise<T>, options?: StepOptions): Promise<T> =>
          ctx.step(
            name,
            async (): Promise<T> => {
              const value = await body();
              if (name === step && inject) fail('assertion', `injected failure after the step "${name}"`);
              return value;
            },
            options,
          ),
      });
    },
  };
}

/** The cheapest fault of the matrix for a journey's step; payment: a declined card (typed and sent). */
function faultFor(journey: Journey, step: string): readonly unknown[] | undefined {
  if (step === 'payment') return [{ payment: 'decline' }];
  const found = FAULT_CASES.find(
    (c) =>
      c.journey === journey &&
      c.step === step &&
      c.card === undefined &&
      !JSON.stringify(c.faults).includes('"hang"') &&
      !JSON.stringify(c.faults).includes('provisioningDelayMs'),
  );
  return found?.faults;
}

/** Every file under `dir` and every (inflated) zip entry where the CVV stands alone. */
async function cvvLeaks(dir: string): Promise<Leak[]> {
  const leaks: Leak[] = [];
  const visit = async (where: string, data: Buffer): Promise<void> => {
    if (CVV_ALONE.test(data.toString('latin1'))) leaks.push({ where, form: CARD.cvv });
    const inner = inflated(data);
    if (inner && CVV_ALONE.test(inner.data.toString('latin1')))
      leaks.push({ where: `${where} (${inner.how})`, form: CARD.cvv });
    if (where.endsWith('.zip')) {
      const zip = await JSZip.loadAsync(data);
      for (const entry of Object.values(zip.files)) {
        if (!entry.dir) await visit(`${where}!${entry.name}`, await entry.async('nodebuffer'));
      }
    }
  };
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      await visit(join(entry.parentPath, entry.name), await readFile(join(entry.parentPath, entry.name)));
  }
  return leaks;
}

const textLeaks = (where: string, text: string, secrets: readonly string[]): Leak[] => [
  ...findLeaks(where, text, secrets),
  ...(CVV_ALONE.test(text) ? [{ where, form: CARD.cvv }] : []),
];

/** One failing run and what was recorded of it. */
interface Run {
  readonly journey: string;
  readonly step: string;
  readonly how: string;
  readonly result: RunResult;
  readonly secrets: string[];
  readonly seen: Seen;
}

/** How a case makes its step fail: the sandbox's `faults` (with target `params` over PARAMS), else an injected failure. */
interface Failing {
  readonly how: string;
  readonly faults?: readonly unknown[];
  readonly params?: Readonly<Record<string, string>>;
}

let cases = 0;

/**
 * Runs `journey` failing at `step`; checks that it failed there with a screenshot and a
 * trace, that no artifact or the result holds a secret, and that every box of the mask is
 * one colour in the screenshot.
 */
async function failAt(journey: Journey, step: string, failing: Failing): Promise<Run> {
  const { faults } = failing;
  await fx.clearFaults();
  if (faults) await fx.setFaults(faults);
  const accounts: Account[] = [];
  const provider = sandboxAccounts(fx.sandbox.portalUrl);
  const recording: AccountProvider = async (j, t) => {
    const account = await provider(j, t);
    accounts.push(account);
    return account;
  };
  const seen: Seen = {};
  const dir = join(root, 'artifacts', `${journey.name}-${cases++}`);
  const result = await fx.run(
    watched(journey, step, faults === undefined, seen),
    fx.target({ params: { ...PARAMS, ...failing.params }, card: CARD }),
    {
      accounts: recording,
      log: memory.log,
      artifactsDir: dir,
      trace: 'retain-on-failure',
    },
  );
  await fx.clearFaults();
  await results.add(result);
  expect(result.failure?.step, JSON.stringify(result.failure)).toBe(step);
  expect(result.artifacts?.screenshot, 'a failure screenshot').toBeDefined();
  expect(result.artifacts?.trace, 'a trace').toBeDefined();
  expect(seen.cookies, 'the cookies, read as the screenshot was taken').toBeDefined();
  const account = accounts[0]!;
  const secrets = [
    account.email,
    ...(account.username === undefined ? [] : [account.username]),
    account.password.reveal(),
    ...CARD_FORMS,
    ...(seen.cookies ?? []),
  ];
  const tree = await scanTree(dir, secrets);
  expect(tree.scanned.some((where) => where.includes('trace.zip!'))).toBe(true);
  expect([...tree.leaks, ...(await cvvLeaks(dir))]).toEqual([]);
  expect(textLeaks('result', JSON.stringify(result), secrets)).toEqual([]);

  // The screenshot: every box of the mask on the failing page is one colour (the boxes as the
  // runner took it; the summary checks that they were recorded for every case).
  const png = PNG.sync.read(await readFile(result.artifacts!.screenshot!));
  for (const box of seen.boxes ?? []) expect([box.what, offColour(png, box)]).toEqual([box.what, 0]);
  return { journey: journey.name, step, how: failing.how, result, secrets, seen };
}

/** The matrix's runs; the summary and the log check read them. */
const runs: Run[] = [];
/** The run whose step the runner ended by its timeout (below), for the log check too. */
const timedOut: Run[] = [];

const MATRIX = [purchase, seatChange, renewal].flatMap((journey) =>
  (journey.steps ?? []).map((step) => [journey.name, step, journey] as const),
);

describe('leak test: every journey failing at every step', () => {
  it.each(MATRIX)('%s failing at "%s"', async (_name, step, journey) => {
    const faults = faultFor(journey, step);
    runs.push(await failAt(journey, step, faults ? { how: 'fault', faults } : { how: 'injected' }));
  });

  it('the mask covered the card fields and the signed-in identity', () => {
    expect(runs).toHaveLength(MATRIX.length);
    const masked = (step: string, what: string): number =>
      runs.filter((r) => r.step === step && r.seen.boxes?.some((b) => b.what === what)).length;
    expect(masked('payment', '#input-creditCardNumber')).toBe(3);
    expect(masked('payment', '#input-cardSecurityCode')).toBe(3);
    expect(masked('payment', '[data-testid="signed-in-as"]')).toBe(3);
    const recorded = runs.filter((r) => r.seen.boxes !== undefined);
    expect(
      recorded.length,
      runs.map((r) => `${r.journey}/${r.step}: ${r.how}${r.seen.boxes ? '' : ' (not recorded)'}`).join(', '),
    ).toBe(MATRIX.length);
  });

  it('a step the runner ends by its timeout is pixel-checked too: the card submission hangs', async () => {
    // The journey waits for the provider longer than the step may last: the runner ends the
    // step and takes the screenshot while the journey still waits, the card typed in the form.
    const run = await failAt(purchase, 'payment', {
      how: 'step timeout',
      faults: [{ match: '/hpm/submit', hang: true }],
      params: { paymentFormTimeoutMs: '60000' },
    });
    expect(run.result.failure?.class, JSON.stringify(run.result.failure)).toBe('timeout');
    expect(run.seen.boxes?.map((b) => b.what)).toEqual(
      expect.arrayContaining([
        '#input-creditCardNumber',
        '#input-cardSecurityCode',
        '[data-testid="signed-in-as"]',
      ]),
    );
    timedOut.push(run);
  });

  it('no log line, JUnit report, results log or status page holds any of them', async () => {
    const every = [...runs, ...timedOut];
    const all = [...new Set(every.flatMap((r) => r.secrets))];
    const junit = junitReport(every.map((r) => r.result));
    const app = createApp();
    app.route(
      '/',
      statusRoutes({
        runs: results,
        artifactsDir: join(root, 'artifacts'),
        now: () => Date.now(),
        schedules: () => [],
      }),
    );
    const server: HttpServer = await startHttpServer({ host: '127.0.0.1', port: 0 }, app, silentLogger());
    const pages: Leak[] = [];
    try {
      const urls = ['/', '/api/runs', ...every.map((r) => runUrl(r.result.runId))];
      for (const path of urls) {
        const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(15_000) });
        expect(res.status, path).toBe(200);
        pages.push(...textLeaks(path, await res.text(), all));
      }
    } finally {
      await server.close();
    }
    const log = memory.lines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect([
      ...textLeaks('log', log, all),
      ...textLeaks('junit', junit, all),
      ...textLeaks('results log', await readFile(join(root, 'runs.jsonl'), 'utf8'), all),
      ...pages,
    ]).toEqual([]);
  });
});

describe('the screenshot mask on the sign-in form', () => {
  it('covers the username and the password as typed', async () => {
    const context = await fx.pool.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${fx.sandbox.gitlabUrl}/users/sign_in`);
      await page.locator('#user_login').fill('someone@example.com');
      await page.locator('#user_password').fill('a-password-123');
      const boxes = await maskBoxes(page);
      expect(boxes.map((b) => b.what).sort()).toEqual(['#user_login', 'input[type="password"]']);
      const png = PNG.sync.read((await screenshot(page))!);
      for (const box of boxes) expect([box.what, offColour(png, box)]).toEqual([box.what, 0]);
      // The mask is not the whole page: the label beside it is not the mask's colour.
      expect(
        offColour(png, { what: 'page', x: 0, y: 0, width: png.width, height: png.height }),
      ).toBeGreaterThan(0);
      expect(MASK_COLOR).toBe('#FF00FF');
    } finally {
      await context.close();
    }
  });
});
