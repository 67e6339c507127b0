import { join } from 'node:path';
import type { RunResult } from '../journey/types.js';
import { openArtifact, readArtifactText } from '../artifacts/safe-path.js';
import { artifactSegments, artifactUrl } from '../artifacts/urls.js';

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
