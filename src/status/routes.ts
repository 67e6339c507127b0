/**
 * The status routes as a Hono app: `GET /` (status page), `/journeys/<journey>?target=`,
 * `/runs/<runId>`, `/api/runs`, `/artifacts/…` and `/trace/…`, all behind the basic auth
 * when it is set; other paths are left to the app they are mounted on.
 */
import { OUTCOMES, type Outcome } from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';
import { artifactRoutes, artifactUrl, ARTIFACTS_PREFIX } from '../artifacts/serve.js';
import type { BasicAuth } from '../server/auth.js';
import { createApp, type App } from '../server/http.js';
import { traceViewerRoutes, TRACE_PREFIX } from '../server/trace-viewer.js';
import { loadEvidence } from './evidence.js';
import { journeyUrl, runUrl } from './format.js';
import { findRun, queryRuns, type RunSource, type StatusSources } from './history.js';
import { html, page, type SafeHtml } from './html.js';
import { overviewPage } from './overview.js';
import { FAILURES_SHOWN, hasFailureEvidence, journeyPage, runPage, type SeriesDetail } from './pages.js';
import { seriesKeys, summarise } from './series.js';

// ---------------------------------------------------------------------------------------
// GET /api/runs
// ---------------------------------------------------------------------------------------

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** A bad query string of `/api/runs`: answered 400 with this message. */
export class ApiParamError extends Error {
  override readonly name = 'ApiParamError';
}

/** The parsed query of `GET /api/runs`. */
export interface RunsQuery {
  readonly journey?: string;
  readonly target?: string;
  readonly outcome?: Outcome;
  readonly limit: number;
}

const ALLOWED = new Set(['journey', 'target', 'outcome', 'limit']);

/** Parses `journey`, `target`, `outcome` and `limit`; throws ApiParamError naming the problem. */
export function parseRunsQuery(params: URLSearchParams): RunsQuery {
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!ALLOWED.has(key))
      throw new ApiParamError(
        `unknown parameter "${key.slice(0, 40)}" (allowed: journey, target, outcome, limit)`,
      );
    if (seen.has(key)) throw new ApiParamError(`parameter "${key}" given more than once`);
    seen.add(key);
  }
  const name = (key: 'journey' | 'target'): string | undefined => {
    const value = params.get(key);
    if (value === null) return undefined;
    if (!NAME.test(value))
      throw new ApiParamError(`${key} must be a name of letters, digits, ".", "_" or "-" (at most 100)`);
    return value;
  };
  const outcomeText = params.get('outcome');
  if (outcomeText !== null && !(OUTCOMES as readonly string[]).includes(outcomeText)) {
    throw new ApiParamError(`outcome must be one of ${OUTCOMES.join(', ')}`);
  }
  const limitText = params.get('limit');
  let limit = DEFAULT_PAGE_SIZE;
  if (limitText !== null) {
    if (!/^\d{1,6}$/.test(limitText))
      throw new ApiParamError(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    limit = Number(limitText);
    if (limit < 1 || limit > MAX_PAGE_SIZE)
      throw new ApiParamError(`limit must be from 1 to ${MAX_PAGE_SIZE}`);
  }
  const journey = name('journey');
  const target = name('target');
  return {
    ...(journey === undefined ? {} : { journey }),
    ...(target === undefined ? {} : { target }),
    ...(outcomeText === null ? {} : { outcome: outcomeText as Outcome }),
    limit,
  };
}

/** A run as the API returns it: the run result plus the URLs of its pages and artifacts. */
export type ApiRun = RunResult & {
  readonly links: {
    readonly run: string;
    readonly journey: string;
    readonly screenshot?: string;
    readonly trace?: string;
  };
};

/** The body of `GET /api/runs`: newest first. */
export function runsResponse(
  source: RunSource,
  query: RunsQuery,
  artifactsDir: string,
): { runs: ApiRun[]; count: number; limit: number } {
  const runs = queryRuns(source, query).map((run): ApiRun => {
    const screenshot = artifactUrl(artifactsDir, run.artifacts?.screenshot);
    const trace = artifactUrl(artifactsDir, run.artifacts?.trace);
    return {
      ...run,
      links: {
        run: runUrl(run.runId),
        journey: journeyUrl(run.journey, run.target),
        ...(screenshot ? { screenshot } : {}),
        ...(trace ? { trace } : {}),
      },
    };
  });
  return { runs, count: runs.length, limit: query.limit };
}

// ---------------------------------------------------------------------------------------
// The pages
// ---------------------------------------------------------------------------------------

/** Pages run no script, load nothing from elsewhere and cannot be framed. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

function respond(status: number, type: string, body: string, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: {
      ...PAGE_HEADERS,
      'content-type': type,
      'content-length': String(Buffer.byteLength(body)),
      ...extra,
    },
  });
}

const htmlResponse = (status: number, body: SafeHtml): Response =>
  respond(status, 'text/html; charset=utf-8', body.value);

const jsonResponse = (status: number, body: unknown): Response =>
  respond(status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);

const methodNotAllowed = (): Response =>
  respond(
    405,
    'application/json; charset=utf-8',
    `${JSON.stringify({ error: 'method not allowed: use GET or HEAD' })}\n`,
    { allow: 'GET, HEAD' },
  );

export interface StatusRoutesOptions extends StatusSources {
  /** When set, every status route (pages, API, artifacts, trace viewer) requires these credentials. */
  readonly auth?: BasicAuth | undefined;
  /** Root of Playwright's trace viewer files; default: the installed playwright-core's. */
  readonly traceViewerRoot?: string;
}

/** Runs listed on a journey page. */
export const JOURNEY_PAGE_RUNS = 50;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function notFound(now: number, what: string): Response {
  return htmlResponse(
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

/** The sources with the schedules read once: computing next-run times is not free. */
function snapshot(options: StatusRoutesOptions): StatusRoutesOptions {
  const schedules = options.schedules?.() ?? [];
  return { ...options, schedules: () => schedules };
}

async function journeyRoute(
  options: StatusRoutesOptions,
  journey: string,
  targetParam: string | undefined,
): Promise<Response> {
  const now = options.now();
  const target = targetParam === undefined || targetParam === '' ? undefined : targetParam;
  if (!NAME.test(journey)) return notFound(now, 'That is not a journey name.');
  if (target !== undefined && !NAME.test(target)) return notFound(now, 'That is not a target name.');
  const sources = snapshot(options);
  const keys = seriesKeys(sources).filter(
    (k) => k.journey === journey && (target === undefined || k.target === target),
  );
  const details: SeriesDetail[] = [];
  for (const key of keys) {
    const summary = summarise(sources, key.journey, key.target, now);
    const runs = options.runs.recent({ journey: key.journey, target: key.target, limit: JOURNEY_PAGE_RUNS });
    const failed = runs.filter(hasFailureEvidence).slice(0, FAILURES_SHOWN);
    const failures = await Promise.all(
      failed.map(async (run) => ({ run, evidence: await loadEvidence(options.artifactsDir, run) })),
    );
    details.push({ summary, runs, failures });
  }
  return htmlResponse(details.length === 0 ? 404 : 200, journeyPage(journey, target, details, now));
}

async function runRoute(options: StatusRoutesOptions, runId: string): Promise<Response> {
  const now = options.now();
  const run = NAME.test(runId) ? findRun(options.runs, runId) : undefined;
  if (run === undefined)
    return notFound(now, 'No run with that id in the history (it may be older than the history keeps).');
  return htmlResponse(200, runPage(run, await loadEvidence(options.artifactsDir, run), now));
}

function apiRoute(options: StatusRoutesOptions, params: URLSearchParams): Response {
  try {
    return jsonResponse(200, runsResponse(options.runs, parseRunsQuery(params), options.artifactsDir));
  } catch (error) {
    if (!(error instanceof ApiParamError)) throw error;
    return jsonResponse(400, { error: error.message });
  }
}

/** Every path the status routes own, for the auth guard and the start-up banner. */
export const STATUS_PATHS = [
  '/',
  '/journeys/',
  '/runs/',
  '/api/runs',
  ARTIFACTS_PREFIX,
  TRACE_PREFIX,
] as const;

/** The status routes, to mount on serve's app (`app.route('/', statusRoutes(…))`). */
export function statusRoutes(options: StatusRoutesOptions): App {
  const app = createApp();
  const pages = ['/', '/api/runs', '/journeys/:journey', '/runs/:runId'];
  if (options.auth) {
    const guard = options.auth.middleware();
    for (const path of [...pages, `${ARTIFACTS_PREFIX}*`, ARTIFACTS_PREFIX.slice(0, -1), `${TRACE_PREFIX}*`])
      app.use(path, guard);
  }
  app.get('/', () => {
    const now = options.now();
    const sources = snapshot(options);
    return htmlResponse(
      200,
      overviewPage(
        seriesKeys(sources).map((k) => summarise(sources, k.journey, k.target, now)),
        now,
        options.shard,
      ),
    );
  });
  app.get('/api/runs', (c) => apiRoute(options, new URL(c.req.url).searchParams));
  app.get('/journeys/:journey', (c) => journeyRoute(options, c.req.param('journey'), c.req.query('target')));
  app.get('/runs/:runId', (c) => runRoute(options, c.req.param('runId')));
  for (const path of pages) app.all(path, methodNotAllowed);
  artifactRoutes(app, options.artifactsDir);
  traceViewerRoutes(app, options.traceViewerRoot);
  return app;
}
