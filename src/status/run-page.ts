import type { RunResult } from '../journey/types.js';
import type { RunEvidence } from './evidence.js';
import { formatDuration, formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { hasFailureEvidence } from './journey-page.js';
import { badge, page } from './layout.js';
import { failureCard, stepsTable } from './run-view.js';
import { journeyUrl } from './urls.js';

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
