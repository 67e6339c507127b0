import { describe, expect, it } from 'vitest';
import type { RunEvidence } from '../../../src/status/evidence.js';
import { escapeHtml, html, trustedHtml } from '../../../src/status/html.js';
import { overviewPage } from '../../../src/status/overview.js';
import { journeyPage, runPage } from '../../../src/status/pages.js';
import { summarise } from '../../../src/status/series.js';
import { NOW, run, sourceOf } from './fixtures.js';

const EVIL = `<script>alert("x")</script><img src=x onerror='alert(1)'>&amp;\``;

describe('html escaping', () => {
  it('escapes the five HTML specials and the backtick', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
  });

  it('escapes interpolated values, arrays included, and keeps safe fragments', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${EVIL}${[1, '<', inner]}${null}${undefined}${false}</p>`.value).toBe(
      `<p>${escapeHtml(EVIL)}1&lt;<b>&lt;i&gt;</b></p>`,
    );
    expect(html`${trustedHtml('<hr>')}`.value).toBe('<hr>');
  });
});

const noEvidence: RunEvidence = {
  consoleLines: [],
  consoleTruncated: false,
  requests: [],
  requestsTruncated: false,
};

describe('every page escapes every value it shows', () => {
  const evilRun = run('failure', 3, {
    journey: EVIL,
    target: EVIL,
    runId: EVIL,
    steps: [
      { name: EVIL, outcome: 'failure', durationMs: 10, failure: { class: 'assertion', message: EVIL } },
    ],
    failure: { step: EVIL, class: 'assertion', message: EVIL },
    annotations: { [EVIL]: EVIL },
  });
  const evidence: RunEvidence = {
    ...noEvidence,
    consoleLines: [EVIL],
    requests: [{ method: EVIL, url: EVIL, failure: EVIL }],
  };
  const source = sourceOf([evilRun]);
  const sources = {
    runs: source,
    artifactsDir: '/nowhere',
    now: () => NOW,
    schedules: () => [{ journey: EVIL, target: EVIL, schedule: EVIL }],
  };
  const summary = summarise(sources, EVIL, EVIL, NOW);
  const pages = {
    overview: overviewPage([summary], NOW).value,
    journey: journeyPage(
      EVIL,
      EVIL,
      [{ summary, runs: [evilRun], failures: [{ run: evilRun, evidence }] }],
      NOW,
    ).value,
    run: runPage(evilRun, evidence, NOW).value,
  };

  for (const [name, body] of Object.entries(pages)) {
    it(`${name} page: no raw markup from data`, () => {
      expect(body).not.toContain('<script');
      expect(body).not.toContain('<img src=x');
      expect(body).not.toContain(`onerror='`);
      expect(body).toContain('&lt;script&gt;');
    });
  }

  it('the status and journey pages refresh themselves every 30 s, without script', () => {
    for (const body of [pages.overview, pages.journey]) {
      expect(body).toMatch(/<meta http-equiv="refresh" content="30" ?\/?>/);
      expect(body).not.toMatch(/<script/i);
    }
  });
});

describe('the run page', () => {
  it("shows the run's trace id, which finds its requests in the portal's backend traces", () => {
    const traced = run('failure', 4, { traceId: '0af7651916cd43dd8448eb211c80319c' });
    expect(runPage(traced, noEvidence, NOW).value).toMatch(
      /<dt>trace id<\/dt>\s*<dd class="mono" data-testid="trace-id">0af7651916cd43dd8448eb211c80319c<\/dd>/,
    );
    const { traceId: _unused, ...older } = traced;
    expect(runPage(older, noEvidence, NOW).value).not.toContain('trace id');
  });
});

describe("the journey page's runs list", () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const traced = run('failure', 2, { traceId });
  const untraced = run('success', 1);
  const sources = { runs: sourceOf([traced, untraced]), artifactsDir: '/nowhere', now: () => NOW };
  const summary = summarise(sources, 'purchase', 'sandbox', NOW);
  const body = journeyPage(
    'purchase',
    'sandbox',
    [{ summary, runs: [untraced, traced], failures: [] }],
    NOW,
  ).value;
  const rows = body.split('<tbody>')[1]!.split('</tbody>')[0]!.split('</tr>');

  it("shows each run's trace id, short, with the full id as its title", () => {
    expect(body).toMatch(/<th[^>]*>trace id<\/th>/);
    expect(rows[1]).toMatch(
      /<td data-label="trace id" class="mono small"><span title="4bf92f3577b34da6a3ce929d0e0e4736" data-testid="run-trace-id">4bf92f35<\/span><\/td>/,
    );
    expect(rows[1]).not.toContain(`>${traceId}<`);
  });

  it('leaves the cell empty for a run recorded without one (older history)', () => {
    expect(rows[0]).toContain('<td data-label="trace id" class="mono small"></td>');
    expect(rows[0]).not.toContain('run-trace-id');
  });
});
