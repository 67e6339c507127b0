/** The status page: one row per journey × target, the ones needing attention first. */
import { shardLabel, type Shard } from '../scheduler/shard.js';
import type { RunResult } from '../journey/types.js';
import { formatDuration, formatRatio, formatRelative, formatTime, journeyUrl, runUrl } from './format.js';
import { MIN_RUNS_FOR_RATIO, type SeriesLinks, type WindowStats } from './history.js';
import { badge, html, page, type SafeHtml } from './html.js';
import { STATE_LABELS, triageOrder, type SeriesState, type SeriesSummary } from './series.js';

/**
 * A ratio with the runs behind it: "75.0 % of 4 · not enough runs" below
 * MIN_RUNS_FOR_RATIO counted runs, "99.9 % of 1440" above.
 */
export function ratioText(w: WindowStats): SafeHtml {
  if (w.successRatio === undefined) return html`—`;
  const value = html`${formatRatio(w.successRatio)} <span class="rank">of ${w.counted}</span>`;
  return w.counted < MIN_RUNS_FOR_RATIO
    ? html`${value} <span class="thin small">not enough runs</span>`
    : value;
}

/** Links to the dashboard, runbook and alert of a journey × target, when configured. */
export function linksBlock(links: SeriesLinks): SafeHtml {
  const items = [
    links.dashboard ? html`<a href="${links.dashboard}">dashboard</a>` : '',
    links.runbook ? html`<a href="${links.runbook}">runbook</a>` : '',
    links.alert ? html`<a href="${links.alert}">alert</a>` : '',
  ].filter((l) => l !== '');
  return items.length === 0 ? html`` : html`<div class="small links">${items}</div>`;
}

function stateCell(state: SeriesState, now: number): SafeHtml {
  const label = badge(`s-${state.kind}`, STATE_LABELS[state.kind]);
  if (state.kind === 'no_data' || state.since === undefined) return label;
  const since = html`<div class="small muted" title="${formatTime(state.since)}">
    since ${formatRelative(state.since, now)} · ${state.streak} run${state.streak === 1 ? '' : 's'}
  </div>`;
  return html`${label}${since}`;
}

function windowsCell(series: SeriesSummary, pick: 'ratio' | 'p95'): SafeHtml {
  const cells = series.windows.map((w) => {
    const value = pick === 'ratio' ? ratioText(w) : html`${formatDuration(w.p95Ms)}`;
    const tip =
      pick === 'ratio'
        ? `${w.window}: ${w.counted - w.failures} of ${w.counted} runs passed (${w.errors} prober errors not counted)`
        : `${w.window}: p95 of passing runs`;
    return html`<span title="${tip}"><span class="lbl">${w.window}</span> ${value}</span>`;
  });
  return html`<div class="windows">${cells}</div>`;
}

function scheduleCell(series: SeriesSummary, now: number): SafeHtml {
  const s = series.schedule;
  if (!s) return html`<span class="muted small">not scheduled</span>`;
  const next = s.running
    ? badge('running', 'running now')
    : s.nextRunAt
      ? html`next ${formatRelative(s.nextRunAt, now)}`
      : html`<span class="muted">—</span>`;
  return html`<code class="nowrap">${s.schedule}</code>
    <div class="small muted" title="${formatTime(s.nextRunAt)}">${next}</div>`;
}

function row(series: SeriesSummary, now: number): SafeHtml {
  const kind = series.state.kind;
  const latest = series.state.latest;
  const failure = latest?.failure
    ? html`<div class="small" title="${latest.failure.message}">
        <code>${latest.failure.class}</code> at “${latest.failure.step}”
      </div>`
    : latest?.outcome === 'flaky'
      ? html`<div class="small muted">passed on attempt ${latest.attempts}</div>`
      : '';
  const last = latest
    ? html`<a href="${runUrl(latest.runId)}">${formatRelative(latest.startedAt, now)}</a>${failure}`
    : html`<span class="muted">never</span>`;
  return html`<tr class="r-${kind}">
    <td data-label="journey" class="nowrap">
      <a href="${journeyUrl(series.journey, series.target)}"><strong>${series.journey}</strong></a>
      <div class="small muted">${series.target}</div>
      ${linksBlock(series.links)}
    </td>
    <td data-label="state">${stateCell(series.state, now)}</td>
    <td data-label="last run">${last}</td>
    <td data-label="success">${windowsCell(series, 'ratio')}</td>
    <td data-label="p95">${windowsCell(series, 'p95')}</td>
    <td data-label="recent latency">${sparkline(series.recent)}</td>
    <td data-label="schedule">${scheduleCell(series, now)}</td>
  </tr>`;
}

/** What a replica of a scaled-out serve says about itself: its share is not the whole config. */
function shardNote(shard: Shard | undefined): SafeHtml | string {
  if (shard === undefined) return '';
  return html`<p class="muted" data-testid="shard">
    Replica ${shard.index} of ${shard.count} (shard ${shardLabel(shard)}): this page shows only the journeys ×
    targets whose account hashes to this replica; the other replicas show the rest.
  </p>`;
}

/**
 * The status page: one row per journey × target, failing and flaky rows first; a replica
 * (`shard`) says which one it is.
 */
export function overviewPage(unordered: readonly SeriesSummary[], now: number, shard?: Shard): SafeHtml {
  const all = triageOrder(unordered);
  const count = (kind: string): number => all.filter((s) => s.state.kind === kind).length;
  const failing = count('failing');
  const headline =
    all.length === 0
      ? html`<p class="muted">No journeys have run yet and none are scheduled.</p>`
      : html`<div class="summary">
          <div class="card">
            <div class="small muted">journeys × targets</div>
            <div class="big">${all.length}</div>
          </div>
          <div class="card">
            <div class="small muted">passing</div>
            <div class="big" style="color:var(--pass)">${count('passing')}</div>
          </div>
          <div class="card">
            <div class="small muted">failing</div>
            <div class="big" style="color:${failing > 0 ? 'var(--fail)' : 'inherit'}">${failing}</div>
          </div>
          <div class="card">
            <div class="small muted">flaky / degraded</div>
            <div class="big">${count('flaky') + count('degraded')}</div>
          </div>
          <div class="card">
            <div class="small muted">prober errors</div>
            <div class="big">${count('prober_error')}</div>
          </div>
        </div>`;
  const table =
    all.length === 0
      ? ''
      : html`<div class="card table-card">
            <table class="rows">
              <thead>
                <tr>
                  <th>journey · target</th>
                  <th>state</th>
                  <th>last run</th>
                  <th>success ratio 1h · 24h · 7d</th>
                  <th>p95 latency 1h · 24h · 7d</th>
                  <th>recent latency</th>
                  <th>schedule</th>
                </tr>
              </thead>
              <tbody>
                ${all.map((s) => row(s, now))}
              </tbody>
            </table>
          </div>
          <p class="small muted">
            Success ratio: runs that did not fail ÷ runs, prober errors excluded (the SLI), "of N" the runs
            counted; below ${MIN_RUNS_FOR_RATIO} it is marked "not enough runs". p95: passing runs only.
          </p>`;
  return page({
    title: 'Status',
    now,
    body: html`<h1>Journey status</h1>
      ${shardNote(shard)}${headline}${table}`,
  });
}

export interface SparklineOptions {
  readonly width?: number;
  readonly height?: number;
}

const round = (n: number): string => (Math.round(n * 10) / 10).toString();

/**
 * An inline SVG of run durations, oldest left: a line through every run, a dot on each run
 * that did not pass. `runs` is newest first (as history queries return it).
 */
export function sparkline(newestFirst: readonly RunResult[], options: SparklineOptions = {}): SafeHtml {
  const width = options.width ?? 140;
  const height = options.height ?? 30;
  const runs = [...newestFirst].reverse();
  if (runs.length === 0) return html`<span class="muted">—</span>`;
  const max = Math.max(...runs.map((r) => r.durationMs), 1);
  const pad = 3;
  const step = runs.length > 1 ? (width - 2 * pad) / (runs.length - 1) : 0;
  const points = runs.map((run, i) => ({
    x: runs.length > 1 ? pad + i * step : width / 2,
    y: height - pad - (run.durationMs / max) * (height - 2 * pad),
    run,
  }));
  const line = points.map((p) => `${round(p.x)},${round(p.y)}`).join(' ');
  const dots = points
    .filter((p) => p.run.outcome !== 'success')
    .map((p) => html`<circle cx="${round(p.x)}" cy="${round(p.y)}" r="2.5" class="dot-${p.run.outcome}" />`);
  const label = `latency of the last ${runs.length} runs, max ${Math.round(max)} ms`;
  return html`<svg
    class="spark"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
    role="img"
    aria-label="${label}"
  >
    <title>${label}</title>
    <polyline points="${line}" fill="none" stroke="currentColor" stroke-width="1.5" />
    ${dots}
  </svg>`;
}
