import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { paramsFromYaml, paramsYaml } from '../../../src/rules/params-file.js';
import { PRODUCTION } from '../../../src/rules/params.js';
import { OUTPUTS } from '../../../src/rules/render.js';
import { ParamsError } from '../../../src/rules/validate.js';
import { ROOT, run, tempDir } from './tools.js';

/** An operator's file: links, a team label, a stricter objective, more runs for latency. */
const OPERATOR = `
_config:
  objective: 0.999
  statusBaseUrl: https://journey-prober.example.com
  runbookBaseUrl: https://wiki.example.com/runbooks
  dashboardUrl: https://grafana.example.com/d/journey-prober
  alertLabels:
    team: fulfillment
  latency:
    minRuns: 30
`;

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

async function rulesIn(dir: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  for (const file of ['recording.yml', 'alerts-portal.yml', 'alerts-prober.yml']) {
    const doc = parse(await readFile(join(dir, OUTPUTS.rules, file), 'utf8')) as {
      groups: { rules: Rule[] }[];
    };
    rules.push(...doc.groups.flatMap((g) => g.rules));
  }
  return rules;
}

/** `name field` for every field of every rule that differs between the two rule sets. */
function differences(before: readonly Rule[], after: readonly Rule[]): Set<string> {
  expect(after.map((r) => r.alert ?? r.record)).toEqual(before.map((r) => r.alert ?? r.record));
  const found = new Set<string>();
  before.forEach((rule, i) => {
    const other = after[i]!;
    const name = rule.alert ?? rule.record ?? '?';
    if (rule.expr !== other.expr) found.add(`${name} expr`);
    for (const part of ['labels', 'annotations'] as const) {
      const keys = new Set([...Object.keys(rule[part] ?? {}), ...Object.keys(other[part] ?? {})]);
      for (const key of keys)
        if (rule[part]?.[key] !== other[part]?.[key]) found.add(`${name} ${part}.${key}`);
    }
  });
  return found;
}

describe('an operator parameters file', { timeout: 90_000 }, () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir('rules-params');
  });
  afterAll(async () => tmp.remove());

  it('is the defaults with exactly what it says over them', () => {
    expect(paramsFromYaml(OPERATOR, 'ops.yml')).toEqual({
      ...PRODUCTION,
      objective: 0.999,
      statusBaseUrl: 'https://journey-prober.example.com',
      runbookBaseUrl: 'https://wiki.example.com/runbooks',
      dashboardUrl: 'https://grafana.example.com/d/journey-prober',
      alertLabels: { team: 'fulfillment' },
      latency: { ...PRODUCTION.latency, minRuns: 30 },
    });
    expect(paramsFromYaml('', 'empty.yml')).toBe(PRODUCTION);
    expect(paramsFromYaml(paramsYaml(PRODUCTION), 'defaults.yml')).toEqual(PRODUCTION);
  });

  it('names every unknown key and wrong type, on one line', () => {
    const bad =
      '_config:\n  objective: high\n  latency: { budget: 30s }\n  burnRate: [{ long: 1h }]\n  nope: 1\n';
    let error: unknown;
    try {
      paramsFromYaml(bad, 'ops.yml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ParamsError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('ops.yml: _config.objective must be a number, got a string');
    expect(message).toContain('ops.yml: _config.latency.budget is not a parameter');
    expect(message).toContain('ops.yml: _config.burnRate[0].factor is missing');
    expect(message).toContain('ops.yml: _config.nope is not a parameter');
    expect(() => paramsFromYaml('objective: 0.99\n', 'flat.yml')).toThrow(
      /flat\.yml: expected one mapping, "_config:", holding the parameters/,
    );
    expect(() => paramsFromYaml('_config: [', 'broken.yml')).toThrow(/broken\.yml: not YAML/);
  });

  it('generates rules differing from the defaults exactly where it says; promtool passes both', async () => {
    const file = join(tmp.dir, 'ops.yml');
    await writeFile(file, OPERATOR);
    const out = join(tmp.dir, 'out');
    const generated = await run(
      process.execPath,
      ['bin/rules.js', '--params', file, '--out', out],
      ROOT,
      60_000,
    );
    expect(generated.code, generated.output).toBe(0);
    const found = differences(await rulesIn(ROOT), await rulesIn(out));

    const alerts = (await rulesIn(ROOT)).filter((r) => r.alert !== undefined);
    const expected = new Set<string>();
    for (const rule of alerts) {
      // Links and the team label: on every alert.
      for (const key of [
        'labels.team',
        'annotations.runbook_url',
        'annotations.status_url',
        'annotations.dashboard_url',
      ])
        expected.add(`${rule.alert} ${key}`);
    }
    // The objective: burn-rate thresholds (expr and text) and the budget left.
    for (const name of [
      'JourneyErrorBudgetFastBurn',
      'JourneyErrorBudgetSlowBurn',
      'JourneyFailingFromOneLocation',
    ])
      for (const key of ['expr', 'annotations.description']) expected.add(`${name} ${key}`);
    expected.add('journey_target:synthetic_error_budget_remaining:ratio28d expr');
    // latency.minRuns.
    expected.add('JourneyLatencyBudgetExceeded expr');
    expect([...found].sort()).toEqual([...expected].sort());

    for (const root of [ROOT, out]) {
      const dir = join(root, OUTPUTS.rules);
      const check = await run('promtool', [
        'check',
        'rules',
        ...['recording', 'alerts-portal', 'alerts-prober'].map((f) => join(dir, `${f}.yml`)),
      ]);
      expect(check.code, check.output).toBe(0);
    }
  });

  it('a missing parameters file is a one-line error with exit code 2', async () => {
    const result = await run(
      process.execPath,
      ['bin/rules.js', '--params', join(tmp.dir, 'none.yml'), '--out', tmp.dir],
      ROOT,
      60_000,
    );
    expect(result.code).toBe(2);
    expect(result.output.trim()).toMatch(
      /^rules: invalid SLO parameters: cannot read parameters file .*none\.yml \(ENOENT\)$/,
    );
  });
});
