import { OUTCOMES, type Outcome } from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';
import { artifactUrl } from '../artifacts/urls.js';
import { queryRuns, type RunSource } from './sources.js';
import { journeyUrl, runUrl } from './urls.js';

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
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

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
