import type { RunResult, StepResult } from '../journey/types.js';
import type { RunEvidence } from './evidence.js';
import { formatDuration, formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { badge } from './layout.js';
import { runUrl } from './urls.js';

/** One bar per run: each step a segment as wide as its share of the run's step time. */
export function stepBar(steps: readonly StepResult[]): SafeHtml {
  const total = steps.reduce((n, s) => n + s.durationMs, 0);
  if (steps.length === 0) return html`<span class="muted small">no steps</span>`;
  const segments = steps.map((s) => {
    const share = total > 0 ? (s.durationMs / total) * 100 : 100 / steps.length;
    const width = Math.max(share, s.outcome === 'skipped' ? 0 : 0.5).toFixed(2);
    const tip = `${s.name}: ${s.outcome}, ${formatDuration(s.durationMs)}`;
    return html`<span class="st-${s.outcome}" style="width:${width}%" title="${tip}"></span>`;
  });
  return html`<div
    class="bar"
    role="img"
    aria-label="${steps.map((s) => `${s.name} ${formatDuration(s.durationMs)}`).join(', ')}"
  >
    ${segments}
  </div>`;
}

/** The steps of a run as a table: name, outcome, duration, bar of its share. */
export function stepsTable(run: RunResult): SafeHtml {
  const total = run.steps.reduce((n, s) => n + s.durationMs, 0);
  const rows = run.steps.map((s) => {
    const share = total > 0 ? (s.durationMs / total) * 100 : 0;
    return html`<tr>
      <td data-label="step">${s.name}</td>
      <td data-label="outcome">${badge(`o-${s.outcome === 'skipped' ? 'none' : s.outcome}`, s.outcome)}</td>
      <td class="num" data-label="duration">${formatDuration(s.durationMs)}</td>
      <td data-label="share" style="width:40%">
        <div class="bar"><span class="st-${s.outcome}" style="width:${share.toFixed(2)}%"></span></div>
      </td>
    </tr>`;
  });
  return html`<table class="steps rows">
    <thead>
      <tr>
        <th>step</th>
        <th>outcome</th>
        <th class="num">duration</th>
        <th>share of the run</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function consoleBlock(evidence: RunEvidence): SafeHtml {
  if (evidence.consoleLines.length === 0) return html`<p class="muted small">No console errors recorded.</p>`;
  const more = evidence.consoleTruncated
    ? html` … (cut; <a href="${evidence.consoleUrl}">whole file</a>)`
    : '';
  return html`<pre>${evidence.consoleLines.join('\n')}${more}</pre>`;
}

function requestsBlock(evidence: RunEvidence): SafeHtml {
  if (evidence.requests.length === 0) return html`<p class="muted small">No failed requests recorded.</p>`;
  const rows = evidence.requests.map(
    (r) =>
      html`<tr>
        <td class="mono">${r.method}</td>
        <td class="mono" style="overflow-wrap:anywhere">${r.url}</td>
        <td class="num">${r.status ?? r.failure ?? ''}</td>
      </tr>`,
  );
  const more = evidence.requestsTruncated
    ? html`<p class="small muted">List cut; see <a href="${evidence.requestsUrl}">requests.json</a>.</p>`
    : '';
  return html`<table class="small">
      <tbody>
        ${rows}
      </tbody>
    </table>
    ${more}`;
}

function fileLinks(evidence: RunEvidence): SafeHtml {
  const links = [
    evidence.traceUrl ? html`<a href="${evidence.traceUrl}" download>trace.zip</a>` : '',
    evidence.screenshotUrl ? html`<a href="${evidence.screenshotUrl}">screenshot.png</a>` : '',
    evidence.consoleUrl ? html`<a href="${evidence.consoleUrl}">console.log</a>` : '',
    evidence.requestsUrl ? html`<a href="${evidence.requestsUrl}">requests.json</a>` : '',
    evidence.resultUrl ? html`<a href="${evidence.resultUrl}">result.json</a>` : '',
  ].filter((l) => l !== '');
  if (links.length === 0) return html`<p class="muted small">No artifacts kept for this run.</p>`;
  const joined = links.flatMap((l, i) => (i === 0 ? [l] : [html` · `, l]));
  const hint = evidence.traceUrl
    ? html`<p class="small muted">
        Open the trace: download it, then <code>npx playwright show-trace trace.zip</code>
      </p>`
    : '';
  return html`<p class="small">Files: ${joined}</p>
    ${hint}`;
}

/** A failed (or flaky, or errored) run's evidence: where, why, what the page and network did. */
export function failureCard(
  run: RunResult,
  evidence: RunEvidence,
  options: { readonly heading: boolean },
): SafeHtml {
  const failure = run.failure;
  const kind = run.outcome === 'error' ? 'error' : run.outcome === 'flaky' ? 'flaky' : '';
  const title = options.heading
    ? html`<h3>
        <a href="${runUrl(run.runId)}">${formatTime(run.startedAt)}</a>
        ${badge(`o-${run.outcome}`, run.outcome)}
      </h3>`
    : '';
  const where = failure
    ? html`<dl class="kv small">
          <dt>step</dt>
          <dd>${failure.step}</dd>
          <dt>class</dt>
          <dd><code>${failure.class}</code></dd>
        </dl>
        <p class="failmsg">${failure.message}</p>`
    : html`<p class="muted">
        Passed on retry after ${run.attempts - 1} failed attempt(s); evidence of the failed attempt below.
      </p>`;
  const shot = evidence.screenshotUrl
    ? html`<a href="${evidence.screenshotUrl}"
        ><img
          src="${evidence.screenshotUrl}"
          alt="screenshot when the step failed (password fields masked)"
          loading="lazy"
      /></a>`
    : html`<p class="muted small">No screenshot.</p>`;
  return html`<section class="card failure ${kind}">
    ${title}${where}
    <div class="evidence">
      <div class="shot">${shot}</div>
      <div>
        <h3>Console errors</h3>
        ${consoleBlock(evidence)}
        <h3>Failed requests</h3>
        ${requestsBlock(evidence)}
      </div>
    </div>
    ${fileLinks(evidence)}
  </section>`;
}
