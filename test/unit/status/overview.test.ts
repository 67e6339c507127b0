import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import { parseConfig } from '../../../src/config/load.js';
import { stepBar } from '../../../src/status/evidence.js';
import { MIN_RUNS_FOR_RATIO, windowStats } from '../../../src/status/history.js';
import { overviewPage, ratioText } from '../../../src/status/overview.js';
import { journeyPage } from '../../../src/status/pages.js';
import { linksFor, scheduleInfos, summarise, triageOrder } from '../../../src/status/series.js';
import { MINUTE, NOW, run, sourceOf } from './fixtures.js';

const entry = (journey: string, cron = '*/5 * * * *') => ({
  id: `${journey}@sandbox`,
  journey: { name: journey },
  target: 'sandbox',
  cron,
  timezone: undefined,
});

describe('the overview puts what needs attention first', () => {
  const runs = [
    run('success', 1, { journey: 'a-passing' }),
    run('failure', 1, { journey: 'z-failing' }),
    run('flaky', 1, { journey: 'm-flaky' }),
    run('error', 1, { journey: 'b-error' }),
    run('degraded', 1, { journey: 'c-degraded' }),
  ];
  const sources = { runs: sourceOf(runs), artifactsDir: '/nowhere', now: () => NOW };
  const all = ['a-passing', 'z-failing', 'm-flaky', 'b-error', 'c-degraded'].map((j) =>
    summarise(sources, j, 'sandbox', NOW),
  );

  it('orders failing, flaky, degraded, prober error, passing', () => {
    expect(triageOrder(all).map((s) => s.journey)).toEqual([
      'z-failing',
      'm-flaky',
      'c-degraded',
      'b-error',
      'a-passing',
    ]);
  });

  it('renders the rows in that order', () => {
    const body = overviewPage(all, NOW).value;
    const positions = ['z-failing', 'm-flaky', 'c-degraded', 'b-error', 'a-passing'].map((j) =>
      body.indexOf(`/journeys/${j}?target=sandbox`),
    );
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe('every ratio says how many runs are behind it', () => {
  it(`marks fewer than ${MIN_RUNS_FOR_RATIO} counted runs as "not enough runs"`, () => {
    const few = [run('failure', 1), run('success', 2), run('success', 3), run('success', 4)];
    const text = ratioText(windowStats(few, '1h', NOW)).value;
    expect(text).toContain('75.0 %');
    expect(text).toContain('of 4');
    expect(text).toContain('not enough runs');
  });

  it('shows the count alone from the threshold on', () => {
    const many = Array.from({ length: MIN_RUNS_FOR_RATIO }, (_, i) => run('success', i + 1));
    const text = ratioText(windowStats(many, '1h', NOW)).value;
    expect(text).toContain(`100 % <span class="rank">of ${MIN_RUNS_FOR_RATIO}</span>`);
    expect(text).not.toContain('not enough runs');
  });

  it('prober errors are not counted', () => {
    const text = ratioText(windowStats([run('error', 1), run('success', 2)], '1h', NOW)).value;
    expect(text).toContain('of 1');
  });
});

describe('step bars share one time scale across a list of runs', () => {
  const widths = (markup: string): number[] =>
    [...markup.matchAll(/width:([\d.]+)%/g)].map((m) => Number(m[1]));

  it('a run half as long as the longest fills half its bar', () => {
    const steps = [
      { name: 'a', outcome: 'success' as const, durationMs: 250 },
      { name: 'b', outcome: 'success' as const, durationMs: 250 },
    ];
    expect(widths(stepBar(steps, 1000).value)).toEqual([25, 25]);
    // Without a scale, the run's own length is the bar.
    expect(widths(stepBar(steps).value)).toEqual([50, 50]);
  });

  it('the journey page draws every run on the longest run of its list', () => {
    const short = run('success', 1, {
      steps: [{ name: 'pay', outcome: 'success', durationMs: 100 }],
    });
    const long = run('success', 2, {
      steps: [{ name: 'pay', outcome: 'success', durationMs: 400 }],
    });
    const sources = { runs: sourceOf([short, long]), artifactsDir: '/nowhere', now: () => NOW };
    const summary = summarise(sources, 'purchase', 'sandbox', NOW);
    const body = journeyPage(
      'purchase',
      'sandbox',
      [{ summary, runs: [short, long], failures: [] }],
      NOW,
    ).value;
    expect(body).toContain('style="width:25.00%"');
    expect(body).toContain('style="width:100.00%"');
  });
});

describe('links per journey × target', () => {
  const links = linksFor([
    { dashboard: 'https://grafana.example/d/jp?var-journey={journey}&var-target={target}' },
    { journey: 'purchase', runbook: 'https://runbooks.example/purchase' },
    { journey: 'purchase', target: 'staging', dashboard: 'https://grafana.example/d/staging' },
    { target: 'sandbox', alert: 'https://am.example/#/alerts?filter={target}' },
  ]);

  it('fills {journey} and {target}, URL-encoded', () => {
    expect(links('seat change', 'prod')).toEqual({
      dashboard: 'https://grafana.example/d/jp?var-journey=seat%20change&var-target=prod',
    });
  });

  it('applies every matching rule in order: a later, narrower one wins', () => {
    expect(links('purchase', 'staging')).toEqual({
      dashboard: 'https://grafana.example/d/staging',
      runbook: 'https://runbooks.example/purchase',
    });
    expect(links('purchase', 'sandbox')).toEqual({
      dashboard: 'https://grafana.example/d/jp?var-journey=purchase&var-target=sandbox',
      runbook: 'https://runbooks.example/purchase',
      alert: 'https://am.example/#/alerts?filter=sandbox',
    });
  });

  it('the overview and the journey page link them, escaped', () => {
    const sources = {
      runs: sourceOf([run('failure', 1)]),
      artifactsDir: '/nowhere',
      now: () => NOW,
      links,
    };
    const summary = summarise(sources, 'purchase', 'sandbox', NOW);
    const overview = overviewPage([summary], NOW).value;
    expect(overview).toContain(
      '<a href="https://grafana.example/d/jp?var-journey=purchase&amp;var-target=sandbox">dashboard</a>',
    );
    expect(overview).toContain('<a href="https://runbooks.example/purchase">runbook</a>');
    expect(overview).toContain('>alert</a>');
    const journey = journeyPage('purchase', 'sandbox', [{ summary, runs: [], failures: [] }], NOW).value;
    expect(journey).toContain('>runbook</a>');
  });
});

describe('the schedule column reads the scheduler', () => {
  it('next run from the armed cron, running from the scheduler', () => {
    const next = new Date(NOW + 3 * MINUTE);
    const infos = scheduleInfos([entry('purchase'), entry('renewal')], {
      nextRun: (id) => (id === 'purchase@sandbox' ? next : undefined),
      isBusy: (id) => id === 'renewal@sandbox',
    })();
    expect(infos[0]).toEqual({
      journey: 'purchase',
      target: 'sandbox',
      schedule: '*/5 * * * *',
      nextRunAt: next,
    });
    expect(infos[1]?.running).toBe(true);
    // Before cron is armed, the next tick comes from the expression itself.
    expect(infos[1]?.nextRunAt).toBeInstanceOf(Date);
    expect((infos[1]?.nextRunAt?.getTime() ?? 0) % (5 * MINUTE)).toBe(0);
  });

  it('shows "running now" instead of the next tick while a run is in progress', () => {
    const sources = {
      runs: sourceOf([run('success', 1)]),
      artifactsDir: '/nowhere',
      now: () => NOW,
      schedules: scheduleInfos([entry('purchase')], { isBusy: () => true }),
    };
    const body = overviewPage([summarise(sources, 'purchase', 'sandbox', NOW)], NOW).value;
    expect(body).toContain('<span class="badge running">running now</span>');
  });
});

describe('config statusLinks', () => {
  it('takes links with {journey} and {target}', () => {
    const config = parseConfig(
      { statusLinks: [{ journey: 'purchase', runbook: 'https://runbooks.example/{journey}' }] },
      'prober.yaml',
    );
    expect(config.statusLinks).toEqual([
      { journey: 'purchase', runbook: 'https://runbooks.example/{journey}' },
    ]);
    expect(parseConfig({}, 'prober.yaml').statusLinks).toEqual([]);
  });

  const url = 'must be an http(s) URL (with {journey} and {target} if wanted)';
  it.each([
    [{ dashboard: 'javascript:alert(1)' }, `prober.yaml: statusLinks[0].dashboard: ${url}`],
    [{ runbook: 'not a url' }, `prober.yaml: statusLinks[0].runbook: ${url}`],
    [{ target: 'Not Kebab' }, 'prober.yaml: statusLinks[0].target: must be kebab-case (a-z, 0-9, -)'],
    [{ wiki: 'https://x' }, 'prober.yaml: statusLinks[0]: unknown key "wiki"'],
  ])('refuses %j: %s', (rule, message) => {
    expect(() => parseConfig({ statusLinks: [rule] }, 'prober.yaml')).toThrow(ConfigError);
    expect(() => parseConfig({ statusLinks: [rule] }, 'prober.yaml')).toThrow(message);
  });
});

describe('a replica says which shard it is', () => {
  const sources = { runs: sourceOf([run('success', 1)]), artifactsDir: '/nowhere', now: () => NOW };
  const rows = [summarise(sources, 'purchase', 'sandbox', NOW)];

  it('names its shard, and that the other replicas run the rest', () => {
    const body = overviewPage(rows, NOW, { index: 1, count: 3 }).value;
    expect(body).toContain('data-testid="shard"');
    expect(body).toMatch(/Replica 1 of 3 \(shard 1\/3\)/);
    expect(body).toContain('the other replicas show the rest');
  });

  it('says nothing of shards when serve is not scaled out', () => {
    const body = overviewPage(rows, NOW).value;
    expect(body).not.toContain('data-testid="shard"');
    expect(body).not.toMatch(/Replica|shard/);
  });
});
