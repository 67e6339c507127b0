/**
 * A run's evidence: read from its artifacts (bounded), and drawn — the step timing bar,
 * the steps table and the failure card with its screenshot, console, requests and trace.
 */
import { join } from 'node:path';
import type { RunResult, StepResult } from '../journey/types.js';
import { artifactSegments, artifactUrl, openArtifact, readArtifactText } from '../artifacts/serve.js';
import { formatDuration, formatTime, runUrl, traceViewerUrl } from './format.js';
import { badge, html, type SafeHtml } from './html.js';

/** Bounds on what a page shows of a run's files. */
export const MAX_CONSOLE_BYTES = 16 * 1024;
export const MAX_CONSOLE_LINES = 60;
export const MAX_REQUESTS_BYTES = 64 * 1024;
export const MAX_REQUESTS = 40;

/** A failed request or an error response, as `requests.json` lists it. */
export interface RequestLine {
  readonly method: string;
  readonly url: string;
  readonly status?: number;
  readonly failure?: string;
}

/** What a page shows of one run's artifacts (links are `/artifacts/…` URLs). */
export interface RunEvidence {
  readonly screenshotUrl?: string;
  readonly traceUrl?: string;
  readonly consoleUrl?: string;
  readonly requestsUrl?: string;
  readonly resultUrl?: string;
  readonly consoleLines: readonly string[];
  readonly consoleTruncated: boolean;
  readonly requests: readonly RequestLine[];
  readonly requestsTruncated: boolean;
}

async function readBounded(root: string, file: string | undefined, max: number) {
  if (file === undefined) return undefined;
  const segments = artifactSegments(root, file);
  if (segments === undefined) return undefined;
  return readArtifactText(root, segments, max).catch(() => undefined);
}

/** The URL of a file under the root that still exists (retention may have removed it). */
async function existingUrl(root: string, file: string | undefined): Promise<string | undefined> {
  const segments = file === undefined ? undefined : artifactSegments(root, file);
  if (file === undefined || segments === undefined) return undefined;
  try {
    const opened = await openArtifact(root, segments);
    await opened.handle.close();
    return artifactUrl(root, file);
  } catch {
    return undefined;
  }
}

function toRequestLine(value: unknown): RequestLine | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.method !== 'string' || typeof r.url !== 'string') return undefined;
  return {
    method: r.method,
    url: r.url,
    ...(typeof r.status === 'number' ? { status: r.status } : {}),
    ...(typeof r.failure === 'string' ? { failure: r.failure } : {}),
  };
}

function parseRequests(text: string): RequestLine[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return [];
    return parsed.map(toRequestLine).filter((r): r is RequestLine => r !== undefined);
  } catch {
    return [];
  }
}

/**
 * Reads a run's evidence from the artifacts tree, bounded: the first console lines and
 * failed requests. Files outside the tree, missing or unreadable, are left out.
 */
export async function loadEvidence(root: string, run: RunResult): Promise<RunEvidence> {
  const files = run.artifacts;
  const consoleText = await readBounded(root, files?.console, MAX_CONSOLE_BYTES);
  const requestsText = await readBounded(root, files?.requests, MAX_REQUESTS_BYTES);
  const lines = (consoleText?.text ?? '').split('\n').filter((line) => line.trim() !== '');
  const requests = requestsText && !requestsText.truncated ? parseRequests(requestsText.text) : [];
  const resultFile = files?.dir === undefined ? undefined : join(files.dir, 'result.json');
  const [screenshotUrl, traceUrl, consoleUrl, requestsUrl, resultUrl] = await Promise.all(
    [files?.screenshot, files?.trace, files?.console, files?.requests, resultFile].map((f) =>
      existingUrl(root, f),
    ),
  );
  return {
    screenshotUrl,
    traceUrl,
    consoleUrl,
    requestsUrl,
    resultUrl,
    consoleLines: lines.slice(0, MAX_CONSOLE_LINES),
    consoleTruncated: (consoleText?.truncated ?? false) || lines.length > MAX_CONSOLE_LINES,
    requests: requests.slice(0, MAX_REQUESTS),
    requestsTruncated: (requestsText?.truncated ?? false) || requests.length > MAX_REQUESTS,
  };
}

/** The time a run's steps took, the length of its bar. */
export function stepsTotalMs(steps: readonly StepResult[]): number {
  return steps.reduce((n, s) => n + s.durationMs, 0);
}

/**
 * One bar per run, each step a segment. With `scaleMs` (the longest run of a list) every
 * bar of the list is drawn on that one scale, so a slow run has a long bar; without it the
 * segments share the bar by their share of the run's step time.
 */
export function stepBar(steps: readonly StepResult[], scaleMs?: number): SafeHtml {
  const total = stepsTotalMs(steps);
  if (steps.length === 0) return html`<span class="muted small">no steps</span>`;
  const scale = scaleMs !== undefined && scaleMs >= total && scaleMs > 0 ? scaleMs : total;
  const segments = steps.map((s) => {
    const share = scale > 0 ? (s.durationMs / scale) * 100 : 100 / steps.length;
    const width = Math.max(share, s.outcome === 'skipped' ? 0 : 0.5).toFixed(2);
    const tip = `${s.name}: ${s.outcome}, ${formatDuration(s.durationMs)}`;
    return html`<span class="st-${s.outcome}" style="width:${width}%" title="${tip}"></span>`;
  });
  return html`<div
    class="bar${scale !== total ? ' scaled' : ''}"
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
    evidence.traceUrl
      ? html`<a href="${traceViewerUrl(evidence.traceUrl)}"><strong>open trace</strong></a>`
      : '',
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
        "open trace" shows it in Playwright's trace viewer, served here; offline:
        <code>npx playwright show-trace trace.zip</code>
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
