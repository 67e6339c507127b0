import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalGroup } from '../../../src/rules/alerts-portal.js';
import { proberGroup } from '../../../src/rules/alerts-prober.js';
import { knownSeries, metricNames } from '../../../src/rules/catalogue.js';
import { PRODUCTION, type SloParams } from '../../../src/rules/params.js';
import { recordingGroups } from '../../../src/rules/recording.js';
import { toYaml } from '../../../src/rules/yaml.js';
import { ROOT, run, tempDir } from './tools.js';

const RULES = 'deploy/prometheus/rules';
const TESTS = 'deploy/prometheus/tests';

/** Every `record` name and `expr` in generated groups. */
function walk(value: unknown, found: { records: string[]; exprs: string[] }): typeof found {
  if (Array.isArray(value)) value.forEach((item) => walk(item, found));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'record' && typeof item === 'string') found.records.push(item);
      else if (key === 'expr' && typeof item === 'string') found.exprs.push(item);
      else walk(item, found);
    }
  }
  return found;
}

describe('Prometheus rules', () => {
  it.each([RULES, 'deploy/prometheus/rules-test'])('%s passes promtool check rules', async (dir) => {
    const files = (await readdir(join(ROOT, dir))).filter((f) => f.endsWith('.yml'));
    expect(files.length).toBe(3);
    const result = await run('promtool', ['check', 'rules', ...files.map((f) => join(dir, f))]);
    expect(result.output).not.toMatch(/FAILED|lint error/);
    expect(result.code, result.output).toBe(0);
  });

  const UNIT_TESTS = [
    'burn-rate.yml',
    'burn-slow.yml',
    'burn-ticket.yml',
    'latency.yml',
    'locations.yml',
    'payment.yml',
    'prober.yml',
    'recording.yml',
    'test-variant.yml',
  ];

  it('tests/ holds exactly the promtool unit tests listed here', async () => {
    const files = (await readdir(join(ROOT, TESTS))).filter((f) => f.endsWith('.yml')).sort();
    expect(files).toEqual(UNIT_TESTS);
  });

  it.each(UNIT_TESTS)('promtool test rules %s passes', { timeout: 90_000 }, async (file) => {
    const result = await run('promtool', ['test', 'rules', join(TESTS, file)], ROOT, 80_000);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('the example prometheus.yml is valid and loads the rules', async () => {
    const result = await run('promtool', ['check', 'config', 'deploy/prometheus/prometheus.yml']);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS: 3 rule files found');
  });

  it('rules read only catalogue metrics (DESIGN.md), up, and our own recording rules', () => {
    const found = walk([...recordingGroups(PRODUCTION), portalGroup(PRODUCTION), proberGroup(PRODUCTION)], {
      records: [],
      exprs: [],
    });
    const known = new Set([...knownSeries(), ...found.records]);
    const unknown = found.exprs.flatMap(metricNames).filter((name) => !known.has(name));
    expect(unknown).toEqual([]);
    expect(found.exprs.length).toBeGreaterThan(40);
  });
});

/**
 * The silent cases must be able to fail: with a guard removed, the promtool tests that
 * say "one failed run is silent" must catch the regression.
 */
describe('the promtool tests catch a weakened rule', { timeout: 90_000 }, () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir('rules-mutant');
  });
  afterAll(async () => tmp.remove());

  /** Only the named test group of a promtool test file (they are listed under `tests:`). */
  function onlyGroup(text: string, name: string): string {
    const [head, ...groups] = text.split(/\n(?= {2}- name: )/);
    const group = groups.find((g) => g.startsWith(`  - name: ${name}\n`));
    if (group === undefined) throw new Error(`no test group "${name}"`);
    return `${head}\n${group}\n`;
  }

  async function runWith(
    params: SloParams,
    testFile: string,
    group: string,
    weaken: (portalRules: string) => string = (text) => text,
    weakenProber: (proberRules: string) => string = (text) => text,
  ): Promise<string> {
    const rules = join(tmp.dir, 'rules');
    const tests = join(tmp.dir, 'tests');
    await mkdir(rules, { recursive: true });
    await mkdir(tests, { recursive: true });
    await writeFile(join(rules, 'recording.yml'), toYaml({ groups: recordingGroups(params) }));
    await writeFile(join(rules, 'alerts-portal.yml'), weaken(toYaml({ groups: [portalGroup(params)] })));
    await writeFile(
      join(rules, 'alerts-prober.yml'),
      weakenProber(toYaml({ groups: [proberGroup(params)] })),
    );
    await writeFile(
      join(tests, testFile),
      onlyGroup(await readFile(join(ROOT, TESTS, testFile), 'utf8'), group),
    );
    const result = await run('promtool', ['test', 'rules', join(tests, testFile)], tmp.dir, 60_000);
    expect(result.code).not.toBe(0);
    return result.output;
  }

  it('a burn-rate alert without the minimum-failures guard pages on one failed run', async () => {
    const weak = {
      ...PRODUCTION,
      burnRate: PRODUCTION.burnRate.map((t) => ({ ...t, minFailedRuns: 1, minRuns: 1 })),
    };
    const output = await runWith(weak, 'burn-rate.yml', 'one failed run is silent');
    expect(output).toMatch(/one failed run is silent[\s\S]*JourneyErrorBudgetFastBurn/);
  });

  it('a consecutive-failure alert at N=1 fires on one failed run', async () => {
    const weak = { ...PRODUCTION, consecutiveFailures: { ...PRODUCTION.consecutiveFailures, count: 1 } };
    const output = await runWith(weak, 'burn-rate.yml', 'one failed run is silent');
    expect(output).toMatch(/one failed run is silent[\s\S]*JourneyConsecutiveFailures/);
  });

  it('a page that does not wait for a second location pages on one location of three', async () => {
    const oneIsEnough = (text: string): string => {
      expect(text).toContain(') >= 2\n');
      return text.replaceAll(') >= 2\n', ') >= 1\n');
    };
    const output = await runWith(
      PRODUCTION,
      'locations.yml',
      'one location of three failing every run is a ticket naming it, not a page',
      oneIsEnough,
    );
    expect(output).toMatch(/JourneyErrorBudgetFastBurn[\s\S]*got:\[\s*0:/);
  });

  it('a latency alert on too few runs fires on one slow run', async () => {
    const weak = { ...PRODUCTION, latency: { ...PRODUCTION.latency, window: '1h', minRuns: 1 } };
    const output = await runWith(
      weak,
      'latency.yml',
      'slow journeys over their budget fire, one slow run does not',
    );
    expect(output).toContain('JourneyLatencyBudgetExceeded');
  });

  it.each([
    ['without its unless, a pair another replica took over', 'unless on (location, journey, target) max by'],
    [
      'without its up == 0, a journey removed from a live replica',
      'and on (job, instance) up{job="journey-prober"} == 0',
    ],
  ])("JourneyNotRunning's replica_down rule %s fires", async (_name, guard) => {
    const drop = (text: string): string => {
      expect(text).toContain(guard);
      return guard.startsWith('unless')
        ? text.replace(/\n +unless on \(location, journey, target\) max by [^\n]*/, '')
        : text.replace(guard, 'and on (job, instance) up{job="journey-prober"} >= 0');
    };
    const output = await runWith(
      PRODUCTION,
      'prober.yml',
      "a stopped replica's pairs are not running; pairs taken over or live are silent",
      undefined,
      drop,
    );
    expect(output).toContain(guard.startsWith('unless') ? 'journey="upgrade"' : 'journey="seat-change"');
  });
});
