import { formatDuration, formatRatio, formatRelative, formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { badge, page } from './layout.js';
import type { SeriesSummary } from './series.js';
import { sparkline } from './sparkline.js';
import { STATE_LABELS, type SeriesState } from './state.js';
import { journeyUrl, runUrl } from './urls.js';

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
    const value = pick === 'ratio' ? formatRatio(w.successRatio) : formatDuration(w.p95Ms);
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
    ? html`<span class="badge s-no_data">running</span>`
    : s.nextRunAt
      ? html`next ${formatRelative(s.nextRunAt, now)}`
      : html`<span class="muted">—</span>`;
  return html`<code class="nowrap">${s.schedule}</code>
    <div class="small muted" title="${formatTime(s.nextRunAt)}">${next}</div>`;
}

function row(series: SeriesSummary, now: number): SafeHtml {
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
  return html`<tr>
    <td data-label="journey" class="nowrap">
      <a href="${journeyUrl(series.journey, series.target)}"><strong>${series.journey}</strong></a>
      <div class="small muted">${series.target}</div>
    </td>
    <td data-label="state">${stateCell(series.state, now)}</td>
    <td data-label="last run">${last}</td>
    <td data-label="success">${windowsCell(series, 'ratio')}</td>
    <td data-label="p95">${windowsCell(series, 'p95')}</td>
    <td data-label="recent latency">${sparkline(series.recent)}</td>
    <td data-label="schedule">${scheduleCell(series, now)}</td>
  </tr>`;
}

/** The status page: one row per journey × target. */
export function overviewPage(all: readonly SeriesSummary[], now: number): SafeHtml {
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
            Success ratio: runs that did not fail ÷ runs, prober errors excluded (the SLI). p95: passing runs
            only.
          </p>`;
  return page({
    title: 'Status',
    now,
    body: html`<h1>Journey status</h1>
      ${headline}${table}`,
  });
}
