import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveArtifact } from '../artifacts/serve.js';
import { ARTIFACTS_PREFIX } from '../artifacts/urls.js';
import type { BasicAuth } from '../server/basic-auth.js';
import { ApiParamError, parseRunsQuery, runsResponse } from './api.js';
import { loadEvidence } from './evidence.js';
import { html } from './html.js';
import { FAILURES_SHOWN, hasFailureEvidence, journeyPage, type SeriesDetail } from './journey-page.js';
import { page } from './layout.js';
import { overviewPage } from './overview-page.js';
import { sendHtml, sendJson, sendMethodNotAllowed } from './respond.js';
import { runPage } from './run-page.js';
import { seriesKeys, summarise } from './series.js';
import { findRun, type StatusSources } from './sources.js';

/** Handles one request if it is one of the status routes; false lets the server try others. */
export type StatusHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface StatusRoutesOptions extends StatusSources {
  /** When set, every status route (pages, API, artifacts) requires these credentials. */
  readonly auth?: BasicAuth;
}

/** Runs listed on a journey page. */
export const JOURNEY_PAGE_RUNS = 50;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function notFound(res: ServerResponse, now: number, what: string): void {
  sendHtml(
    res,
    404,
    page({
      title: 'Not found',
      now,
      refreshSeconds: 0,
      body: html`<h1>Not found</h1>
        <p>${what}</p>
        <p><a href="/">Back to the status page</a></p>`,
    }),
  );
}

function decodeSegment(text: string): string | undefined {
  try {
    const decoded = decodeURIComponent(text);
    return NAME.test(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

async function journeyRoute(
  options: StatusRoutesOptions,
  res: ServerResponse,
  rawName: string,
  params: URLSearchParams,
): Promise<void> {
  const now = options.now();
  const journey = decodeSegment(rawName);
  const targetParam = params.get('target');
  const target = targetParam === null || targetParam === '' ? undefined : targetParam;
  if (journey === undefined) return notFound(res, now, 'That is not a journey name.');
  if (target !== undefined && !NAME.test(target)) return notFound(res, now, 'That is not a target name.');
  const keys = seriesKeys(options).filter(
    (k) => k.journey === journey && (target === undefined || k.target === target),
  );
  const details: SeriesDetail[] = [];
  for (const key of keys) {
    const summary = summarise(options, key.journey, key.target, now);
    const runs = options.runs.recent({ journey: key.journey, target: key.target, limit: JOURNEY_PAGE_RUNS });
    const failed = runs.filter(hasFailureEvidence).slice(0, FAILURES_SHOWN);
    const failures = await Promise.all(
      failed.map(async (run) => ({ run, evidence: await loadEvidence(options.artifactsDir, run) })),
    );
    details.push({ summary, runs, failures });
  }
  sendHtml(res, details.length === 0 ? 404 : 200, journeyPage(journey, target, details, now));
}

async function runRoute(options: StatusRoutesOptions, res: ServerResponse, rawId: string): Promise<void> {
  const now = options.now();
  const runId = decodeSegment(rawId);
  const run = runId === undefined ? undefined : findRun(options.runs, runId);
  if (run === undefined)
    return notFound(res, now, 'No run with that id in the history (it may be older than the history keeps).');
  sendHtml(res, 200, runPage(run, await loadEvidence(options.artifactsDir, run), now));
}

function apiRoute(options: StatusRoutesOptions, res: ServerResponse, params: URLSearchParams): void {
  try {
    sendJson(res, 200, runsResponse(options.runs, parseRunsQuery(params), options.artifactsDir));
  } catch (error) {
    if (!(error instanceof ApiParamError)) throw error;
    sendJson(res, 400, { error: error.message });
  }
}

/**
 * The status routes: `GET /` (status page), `/journeys/<journey>?target=<target>`,
 * `/runs/<runId>`, `/api/runs` and `/artifacts/…`. Other paths are not handled.
 */
export function createStatusHandler(options: StatusRoutesOptions): StatusHandler {
  return async (req, res) => {
    const rawUrl = req.url ?? '/';
    const [path = '/', query = ''] = rawUrl.split('?', 2);
    const journeyMatch = /^\/journeys\/([^/]+)$/.exec(path);
    const runMatch = /^\/runs\/([^/]+)$/.exec(path);
    const isArtifacts = path.startsWith(ARTIFACTS_PREFIX);
    const known =
      path === '/' || path === '/api/runs' || journeyMatch !== null || runMatch !== null || isArtifacts;
    if (!known) return false;
    if (options.auth && !options.auth.guard(req, res)) return true;
    if (isArtifacts) return serveArtifact(req, res, options.artifactsDir);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendMethodNotAllowed(res);
      return true;
    }
    const params = new URLSearchParams(query);
    const now = options.now();
    // One look at the schedules per request: computing next-run times is not free.
    const schedules = options.schedules?.() ?? [];
    const snapshot: StatusRoutesOptions = { ...options, schedules: () => schedules };
    if (path === '/') {
      const all = seriesKeys(snapshot).map((k) => summarise(snapshot, k.journey, k.target, now));
      sendHtml(res, 200, overviewPage(all, now));
    } else if (path === '/api/runs') apiRoute(options, res, params);
    else if (journeyMatch?.[1] !== undefined) await journeyRoute(snapshot, res, journeyMatch[1], params);
    else if (runMatch?.[1] !== undefined) await runRoute(options, res, runMatch[1]);
    return true;
  };
}
