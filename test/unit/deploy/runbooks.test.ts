import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { portalGroup } from '../../../src/rules/alerts-portal.js';
import { proberGroup } from '../../../src/rules/alerts-prober.js';
import { ALERTS } from '../../../src/rules/names.js';
import { PRODUCTION } from '../../../src/rules/params.js';
import { ROOT } from './tools.js';

interface AlertRule {
  alert: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const rules = [portalGroup(PRODUCTION), proberGroup(PRODUCTION)].flatMap(
  (group) => (group as unknown as { rules: AlertRule[] }).rules,
);
const names = [...new Set(rules.map((r) => r.alert))].sort();

describe('alerts and runbooks', () => {
  it('every alert is one of the documented names', () => {
    expect(names).toEqual(Object.values(ALERTS).sort());
  });

  it.each(rules.map((r) => [r.alert, r] as const))('%s has labels and links', (name, rule) => {
    expect(['page', 'ticket']).toContain(rule.labels.severity);
    expect(['portal', 'prober']).toContain(rule.labels.component);
    expect(rule.annotations.runbook_url).toBe(`${PRODUCTION.runbookBaseUrl}/${name}.md`);
    expect(rule.annotations.status_url).toMatch(new RegExp(`^${PRODUCTION.statusBaseUrl}/`));
    expect(rule.annotations.summary).toBeTruthy();
    expect(rule.annotations.description).toBeTruthy();
    if (rule.annotations.status_url?.includes('{{ $labels.journey }}')) {
      expect(rule.annotations.status_url).toBe(
        `${PRODUCTION.statusBaseUrl}/journeys/{{ $labels.journey }}?target={{ $labels.target }}`,
      );
    }
  });

  it.each(names)('docs/runbooks/%s.md says what to do', async (name) => {
    const text = await readFile(join(ROOT, 'docs/runbooks', `${name}.md`), 'utf8');
    expect(text).toMatch(new RegExp(`^# ${name}:`));
    expect(text).toContain('## What it means for customers');
    expect(text).toContain('## First three things to look at');
    expect(text).toMatch(/status page/i);
    expect(text).toMatch(/screenshot/);
    expect(text).toMatch(/trace/);
    expect(text).toContain('X-Synthetic-Journey');
    // From the alert to the portal's own trace of the failed run: where its trace id is.
    expect(text).toContain('`traceId`');
    expect(text).toContain('/api/runs');
    expect(text).toContain(`amtool silence add alertname=${name}`);
    if (name.includes('ErrorBudget')) {
      expect(text).toContain('## The arithmetic');
      expect(text).toMatch(/One failed run costs about 25 % of the budget/);
    }
  });

  it('there is no runbook for an alert that does not exist', async () => {
    const pages = (await readdir(join(ROOT, 'docs/runbooks'))).filter((f) => f !== 'README.md');
    expect(pages.map((f) => f.replace(/\.md$/, '')).sort()).toEqual(names);
  });
});
