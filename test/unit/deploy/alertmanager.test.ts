import { describe, expect, it } from 'vitest';
import { run } from './tools.js';

const CONFIG = 'deploy/alertmanager/alertmanager.yml';

describe('example Alertmanager configuration', () => {
  it('passes amtool check-config', async () => {
    const result = await run('amtool', ['check-config', CONFIG]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
    expect(result.output).toContain('2 inhibit rules');
  });

  it.each([
    [['component=portal', 'severity=page', 'alertname=JourneyErrorBudgetFastBurn'], 'portal-pager'],
    [['component=portal', 'severity=page', 'alertname=JourneyPaymentFailures'], 'portal-pager'],
    [['component=portal', 'severity=ticket', 'alertname=JourneyErrorBudgetSlowBurn'], 'portal-tickets'],
    [['component=prober', 'severity=page', 'alertname=JourneyProberDown'], 'prober-owners'],
    [['component=prober', 'severity=ticket', 'alertname=JourneyNotRunning'], 'prober-owners'],
    [['alertname=Watchdog'], 'default'],
  ])('routes %j to %s', async (labels, receiver) => {
    const result = await run('amtool', ['config', 'routes', 'test', `--config.file=${CONFIG}`, ...labels]);
    expect(result.code, result.output).toBe(0);
    expect(result.output.split('\n')[0]?.trim()).toBe(receiver);
  });
});
