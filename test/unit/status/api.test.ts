import { describe, expect, it } from 'vitest';
import { ApiParamError, MAX_PAGE_SIZE, parseRunsQuery, runsResponse } from '../../../src/status/routes.js';
import { run, sourceOf } from './fixtures.js';

const parse = (query: string) => parseRunsQuery(new URLSearchParams(query));

describe('parseRunsQuery', () => {
  it('defaults to 50 runs', () => {
    expect(parse('')).toEqual({ limit: 50 });
  });

  it('takes journey, target, outcome and limit', () => {
    expect(parse('journey=purchase&target=staging&outcome=failure&limit=500')).toEqual({
      journey: 'purchase',
      target: 'staging',
      outcome: 'failure',
      limit: MAX_PAGE_SIZE,
    });
  });

  const bad: [string, RegExp][] = [
    ['limit=0', /limit must be from 1 to 500/],
    ['limit=501', /limit must be from 1 to 500/],
    ['limit=-1', /whole number/],
    ['limit=1.5', /whole number/],
    ['limit=abc', /whole number/],
    ['limit=', /whole number/],
    ['limit=99999999999', /whole number/],
    ['outcome=broken', /outcome must be one of success, flaky, degraded, failure, error/],
    ['journey=../etc', /journey must be a name/],
    ['target=%3Cscript%3E', /target must be a name/],
    ['journey=', /journey must be a name/],
    ['color=red', /unknown parameter "color"/],
    ['limit=5&limit=6', /given more than once/],
  ];
  it.each(bad)('rejects %s', (query, message) => {
    expect(() => parse(query)).toThrow(ApiParamError);
    expect(() => parse(query)).toThrow(message);
  });
});

describe('runsResponse', () => {
  const runs = [
    run('success', 1),
    run('failure', 2, {
      artifacts: { dir: '/art/purchase/sandbox/x', screenshot: '/art/purchase/sandbox/x/screenshot.png' },
    }),
    run('success', 3, { target: 'staging' }),
    run('failure', 4),
    run('failure', 5, { journey: 'renewal' }),
  ];
  const source = sourceOf(runs);

  it('filters by journey, target and outcome, newest first, bounded by limit', () => {
    const body = runsResponse(
      source,
      { journey: 'purchase', target: 'sandbox', outcome: 'failure', limit: 1 },
      '/art',
    );
    expect(body.count).toBe(1);
    expect(body.runs[0]!.runId).toBe(runs[1]!.runId);
    expect(runsResponse(source, { outcome: 'failure', limit: 50 }, '/art').count).toBe(3);
    expect(runsResponse(source, { target: 'staging', limit: 50 }, '/art').runs.map((r) => r.target)).toEqual([
      'staging',
    ]);
  });

  it('links each run to its page, its journey page and its artifacts', () => {
    const [first] = runsResponse(source, { outcome: 'failure', limit: 1 }, '/art').runs;
    expect(first!.links).toEqual({
      run: `/runs/${runs[1]!.runId}`,
      journey: '/journeys/purchase?target=sandbox',
      screenshot: '/artifacts/purchase/sandbox/x/screenshot.png',
    });
  });
});
