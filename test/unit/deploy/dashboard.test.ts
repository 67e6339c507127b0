import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalGroup } from '../../../src/rules/alerts-portal.js';
import { knownSeries, metricNames } from '../../../src/rules/catalogue.js';
import { PRODUCTION } from '../../../src/rules/params.js';
import { recordingGroups } from '../../../src/rules/recording.js';
import { toYaml } from '../../../src/rules/yaml.js';
import { ROOT, run, tempDir } from './tools.js';

interface Target {
  expr: string;
}
interface Panel {
  type: string;
  title: string;
  targets?: Target[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
  annotations: { list: { expr?: string }[] };
}

/** What Grafana would put in place of each variable; any other variable is a defect. */
const VARIABLES: Record<string, string> = {
  location: 'eu-west',
  journey: 'purchase',
  target: 'staging',
  step: 'pay',
  datasource: 'prometheus',
  __rate_interval: '4m',
  __interval: '1m',
  __range: '1d',
  __range_s: '86400',
};

function substitute(expr: string): string {
  return expr.replace(
    /\$\{(\w+)(?::\w+)?\}|\$(\w+)/g,
    (_, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      const value = VARIABLES[name];
      if (value === undefined) throw new Error(`unknown Grafana variable $${name} in ${expr}`);
      return value;
    },
  );
}

/** label_values(selector, label) -> selector; other variable queries are PromQL already. */
function variableExpr(query: unknown): string | undefined {
  const text = typeof query === 'string' ? query : (query as { query?: string } | null)?.query;
  if (text === undefined || text === 'prometheus') return undefined;
  const labelValues = /^label_values\((.*),\s*\w+\)$/.exec(text);
  return labelValues ? labelValues[1] : text;
}

describe('Grafana dashboard', () => {
  let dashboard: Dashboard;
  let exprs: { where: string; expr: string }[];
  let tmp: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    tmp = await tempDir('dashboard-promql');
    dashboard = JSON.parse(
      await readFile(join(ROOT, 'deploy/grafana/journey-prober.json'), 'utf8'),
    ) as Dashboard;
    exprs = [
      ...dashboard.panels.flatMap((p) =>
        (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr })),
      ),
      ...dashboard.templating.list.flatMap((v) => {
        const expr = variableExpr(v.query);
        return expr === undefined ? [] : [{ where: `variable ${v.name}`, expr }];
      }),
      ...dashboard.annotations.list.flatMap((a) => (a.expr ? [{ where: 'annotation', expr: a.expr }] : [])),
    ];
  });
  afterAll(async () => tmp.remove());

  it('has the panels the on-call needs and location, journey, target and datasource variables', () => {
    const titles = dashboard.panels.map((p) => p.title).join('\n');
    for (const wanted of [
      /Availability, 28d/,
      /Error budget remaining/,
      /Error ratio per journey/,
      /Error ratio per location/,
      /Step latency/,
      /Failures by step and class/,
      /Skipped runs/,
      /Prober errors and browser restarts/,
      /In progress/,
      /Build/,
    ]) {
      expect(titles).toMatch(wanted);
    }
    expect(dashboard.panels.find((p) => p.title === 'Step latency')?.type).toBe('heatmap');
    expect(dashboard.templating.list.map((v) => v.name)).toEqual([
      'datasource',
      'location',
      'journey',
      'target',
      'step',
    ]);
    // Every journey panel is filtered by location: a query naming $journey names $location too.
    const unfiltered = exprs.filter(
      ({ expr }) => expr.includes('$journey') && !expr.includes('location=~"$location"'),
    );
    expect(unfiltered).toEqual([]);
    expect(exprs.length).toBeGreaterThan(20);
  });

  it('every query is valid PromQL (promtool check rules on each, variables substituted)', async () => {
    const rules = exprs.map(({ expr }, i) => ({
      record: `dashboard:query_${i}:check`,
      expr: substitute(expr),
    }));
    const file = join(tmp.dir, 'dashboard-queries.yml');
    await writeFile(file, toYaml({ groups: [{ name: 'dashboard-queries', rules }] }));
    const result = await run('promtool', ['check', 'rules', file]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it('a broken query would be caught', async () => {
    const file = join(tmp.dir, 'broken.yml');
    await writeFile(
      file,
      toYaml({ groups: [{ name: 'g', rules: [{ record: 'a:b:c', expr: 'sum by (journey (x)' }] }] }),
    );
    const result = await run('promtool', ['check', 'rules', file]);
    expect(result.code).not.toBe(0);
  });

  it('every metric a query names is in the DESIGN.md catalogue or a recording rule', () => {
    const records =
      JSON.stringify([...recordingGroups(PRODUCTION), portalGroup(PRODUCTION)]).match(/"record":"[^"]+"/g) ??
      [];
    const known = new Set([...knownSeries(), ...records.map((r) => r.slice(10, -1))]);
    const unknown = exprs.flatMap(({ where, expr }) =>
      metricNames(substitute(expr))
        .filter((name) => !known.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
    expect(metricNames('rate(not_a_metric_total[5m])').filter((n) => !known.has(n))).toEqual([
      'not_a_metric_total',
    ]);
  });
});
