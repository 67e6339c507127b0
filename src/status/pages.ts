/** The journey page (one journey on one or every target) and the page of one run. */
import type { RunResult } from '../journey/types.js';
import { failureCard, stepBar, stepsTable, stepsTotalMs, type RunEvidence } from './evidence.js';
import { formatDuration, formatRelative, formatTime, journeyUrl, runUrl } from './format.js';
import { badge, html, page, type SafeHtml } from './html.js';
import { linksBlock, ratioText, sparkline } from './overview.js';
import { STATE_LABELS, type SeriesSummary } from './series.js';

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
        <div class="big">${ratioText(w)}</div>
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
          ${
            schedule.running
              ? badge('running', 'running now')
              : schedule.nextRunAt
                ? html`next ${formatTime(schedule.nextRunAt)}`
                : ''
          }
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

/** Hex digits of a trace id the runs list shows: enough to tell runs apart; the full id is its title and on the run page. */
export const TRACE_ID_SHOWN = 8;

function traceCell(traceId: string | undefined): SafeHtml | '' {
  return traceId === undefined
    ? ''
    : html`<span title="${traceId}" data-testid="run-trace-id">${traceId.slice(0, TRACE_ID_SHOWN)}</span>`;
}

function runRow(run: RunResult, scaleMs: number): SafeHtml {
  const failure = run.failure ? html`<code>${run.failure.class}</code> at “${run.failure.step}”` : '';
  return html`<tr>
    <td data-label="started"><a href="${runUrl(run.runId)}">${formatTime(run.startedAt)}</a></td>
    <td data-label="outcome">${badge(`o-${run.outcome}`, run.outcome)}</td>
    <td class="num" data-label="duration">${formatDuration(run.durationMs)}</td>
    <td class="num" data-label="attempts">${run.attempts}</td>
    <td data-label="steps" style="width:35%">${stepBar(run.steps, scaleMs)}</td>
    <td data-label="failure" class="small">${failure}</td>
    <td data-label="trace id" class="mono small">${traceCell(run.traceId)}</td>
  </tr>`;
}

function section(detail: SeriesDetail, now: number, withHeading: boolean): SafeHtml {
  const { summary } = detail;
  // One scale for every bar of the list: the longest run's step time.
  const scaleMs = Math.max(0, ...detail.runs.map((run) => stepsTotalMs(run.steps)));
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
                <th>steps (one time scale)</th>
                <th>failure</th>
                <th title="W3C trace id of the run (the traceparent its requests carried)">trace id</th>
              </tr>
            </thead>
            <tbody>
              ${detail.runs.map((run) => runRow(run, scaleMs))}
            </tbody>
          </table>
        </div>`;
  return html`${heading}${linksBlock(summary.links)}${statsCards(summary, now)}
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

/** The page of one run: what alert annotations and the journey page link to. */
export function runPage(run: RunResult, evidence: RunEvidence, now: number): SafeHtml {
  const annotations = Object.entries(run.annotations);
  const facts = html`<dl class="kv">
    <dt>journey</dt>
    <dd><a href="${journeyUrl(run.journey, run.target)}">${run.journey}</a></dd>
    <dt>target</dt>
    <dd>${run.target}</dd>
    <dt>outcome</dt>
    <dd>${badge(`o-${run.outcome}`, run.outcome)}</dd>
    <dt>started</dt>
    <dd>${formatTime(run.startedAt)}</dd>
    <dt>duration</dt>
    <dd>${formatDuration(run.durationMs)}</dd>
    <dt>attempts</dt>
    <dd>${run.attempts} (${run.attemptOutcomes.join(', ')})</dd>
    <dt>safe mode</dt>
    <dd>${run.safeMode ? 'yes: stopped before confirming' : 'no'}</dd>
    <dt>cleanup failures</dt>
    <dd>${run.cleanupFailures}</dd>
    ${annotations.map(
      ([k, v]) =>
        html`<dt>${k}</dt>
          <dd>${String(v)}</dd>`,
    )}
    <dt>run id</dt>
    <dd class="mono">${run.runId}</dd>
    ${
      run.traceId === undefined
        ? ''
        : html`<dt>trace id</dt>
            <dd class="mono" data-testid="trace-id">${run.traceId}</dd>`
    }
  </dl>`;
  const evidenceCard =
    hasFailureEvidence(run) || evidence.traceUrl !== undefined
      ? html`<h2>Evidence</h2>
          ${failureCard(run, evidence, { heading: false })}`
      : '';
  const title = `${run.journey} · ${run.target} · ${formatTime(run.startedAt)}`;
  // A finished run does not change: no refresh needed.
  return page({
    title,
    now,
    refreshSeconds: 0,
    body: html`<h1>${title}</h1>
      <div class="card">${facts}</div>
      <h2>Steps</h2>
      <div class="card table-card">${stepsTable(run)}</div>
      ${evidenceCard}`,
  });
}
