import type { RunResult } from '../journey/types.js';
import type { RunEvidence } from './evidence.js';
import { formatDuration, formatRatio, formatRelative, formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { badge, page } from './layout.js';
import { failureCard, stepBar } from './run-view.js';
import type { SeriesSummary } from './series.js';
import { sparkline } from './sparkline.js';
import { STATE_LABELS } from './state.js';
import { journeyUrl, runUrl } from './urls.js';

/** Failed runs whose evidence the journey page shows inline; older ones link to their run page. */
export const FAILURES_SHOWN = 5;

/** One series on the journey page, with the evidence of its newest failures. */
export interface SeriesDetail {
  readonly summary: SeriesSummary;
  /** Newest first, the page's run list. */
  readonly runs: readonly RunResult[];
  readonly failures: readonly { readonly run: RunResult; readonly evidence: RunEvidence }[];
}

/** Runs whose evidence is worth showing: the target failed, the prober failed, or a retry hid a failure. */
export function hasFailureEvidence(run: RunResult): boolean {
  return run.outcome === 'failure' || run.outcome === 'error' || run.outcome === 'flaky';
}

function statsCards(summary: SeriesSummary, now: number): SafeHtml {
  const { state, schedule } = summary;
  const since = state.since
    ? html`<div class="small muted">
        since ${formatTime(state.since)} (${formatRelative(state.since, now)})
      </div>`
    : '';
  const windows = summary.windows.map(
    (w) =>
      html`<div class="card">
        <div class="small muted">last ${w.window} · ${w.runs} runs</div>
        <div class="big">${formatRatio(w.successRatio)}</div>
        <div class="small">
          p95 ${formatDuration(w.p95Ms)} · ${w.failures} failed · ${w.errors} prober errors
        </div>
      </div>`,
  );
  const next = schedule
    ? html`<div class="card">
        <div class="small muted">schedule</div>
        <div><code>${schedule.schedule}</code></div>
        <div class="small">
          ${schedule.running ? 'running now' : schedule.nextRunAt ? html`next ${formatTime(schedule.nextRunAt)}` : ''}
        </div>
      </div>`
    : '';
  return html`<div class="summary">
    <div class="card">
      <div class="small muted">state</div>
      <div class="big">${badge(`s-${state.kind}`, STATE_LABELS[state.kind])}</div>
      ${since}
    </div>
    ${windows}${next}
  </div>`;
}

function runRow(run: RunResult): SafeHtml {
  const failure = run.failure ? html`<code>${run.failure.class}</code> at “${run.failure.step}”` : '';
  return html`<tr>
    <td data-label="started"><a href="${runUrl(run.runId)}">${formatTime(run.startedAt)}</a></td>
    <td data-label="outcome">${badge(`o-${run.outcome}`, run.outcome)}</td>
    <td class="num" data-label="duration">${formatDuration(run.durationMs)}</td>
    <td class="num" data-label="attempts">${run.attempts}</td>
    <td data-label="steps" style="width:35%">${stepBar(run.steps)}</td>
    <td data-label="failure" class="small">${failure}</td>
  </tr>`;
}

function section(detail: SeriesDetail, now: number, withHeading: boolean): SafeHtml {
  const { summary } = detail;
  const heading = withHeading
    ? html`<h2><a href="${journeyUrl(summary.journey, summary.target)}">${summary.target}</a></h2>`
    : '';
  const failures =
    detail.failures.length === 0
      ? ''
      : html`<h2>Latest failures</h2>
          ${detail.failures.map((f) => failureCard(f.run, f.evidence, { heading: true }))}`;
  const runs =
    detail.runs.length === 0
      ? html`<p class="muted">No runs yet.</p>`
      : html`<div class="card table-card">
          <table class="rows">
            <thead>
              <tr>
                <th>started</th>
                <th>outcome</th>
                <th class="num">duration</th>
                <th class="num">attempts</th>
                <th>steps (share of time)</th>
                <th>failure</th>
              </tr>
            </thead>
            <tbody>
              ${detail.runs.map(runRow)}
            </tbody>
          </table>
        </div>`;
  return html`${heading}${statsCards(summary, now)}
    <p>Recent latency ${sparkline(summary.recent, { width: 260, height: 40 })}</p>
    ${failures}
    <h2>Recent runs</h2>
    ${runs}`;
}

/** The journey page: one journey on one target (or on every target it runs on). */
export function journeyPage(
  journey: string,
  target: string | undefined,
  details: readonly SeriesDetail[],
  now: number,
): SafeHtml {
  const title = target === undefined ? journey : `${journey} · ${target}`;
  const body =
    details.length === 0
      ? html`<h1>${title}</h1>
          <p class="muted">
            No runs and no schedule for this journey${target === undefined ? '' : ' on this target'}.
          </p>`
      : html`<h1>${title}</h1>
          ${details.map((d) => section(d, now, target === undefined))}`;
  return page({ title, now, body });
}
