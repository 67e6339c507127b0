import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PSEUDO_STEPS } from '../journey/outcomes.js';
import type { Outcome } from '../journey/outcomes.js';
import type { Journey, RunResult, StepResult, TargetInfo } from '../journey/types.js';
import { pathSegment, privateTraceDir, writeArtifacts } from './artifacts.js';
import { runAttempt } from './attempt.js';
import { deriveOutcome } from './classify.js';
import type { Evidence } from './evidence.js';
import { Redactor } from '../log.js';
import { errorText, toMessage } from './sanitize.js';
import { newTraceId } from './trace-context.js';
import { DEFAULT_TRACE_POLICY, type AttemptReport, type RunOptions } from './types.js';

type Annotations = Record<string, string | number | boolean>;

/**
 * One run of one journey on one target: attempts (1 + retries), outcome, artifacts.
 * The same function serves `run` and `serve`, so a journey gets the same verdict,
 * artifacts and metrics either way. Never throws: every error becomes a result.
 */
export async function runJourney(
  journey: Journey,
  target: TargetInfo,
  options: RunOptions,
): Promise<RunResult> {
  const runId = options.runId ?? randomUUID();
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const base = { runId, traceId: newTraceId(), journey: journey.name, target: target.name, startedAt };
  try {
    return await runAttempts(journey, target, options, base, t0);
  } catch (error) {
    // A bug in the runner itself: still a result, never an exception.
    const message = toMessage(`internal error in the runner: ${errorText(error)}`);
    options.log.error({ ...base, err: message }, 'run failed inside the runner');
    return errorResult(journey, target, base, t0, { step: PSEUDO_STEPS.journey, class: 'script', message });
  }
}

/** A run that ended without a verdict of the attempts (a runner bug, a lost journey worker): `error`. */
export function errorResult(
  journey: Journey,
  target: TargetInfo,
  base: Pick<RunResult, 'runId' | 'journey' | 'target' | 'startedAt'>,
  t0: number,
  failure: NonNullable<RunResult['failure']>,
  seen: Partial<Pick<RunResult, 'attempts' | 'attemptOutcomes' | 'steps' | 'signIns'>> = {},
): RunResult {
  return {
    ...base,
    outcome: 'error',
    durationMs: performance.now() - t0,
    attempts: 0,
    attemptOutcomes: [],
    steps: [],
    failure,
    safeMode: journey.mutates && !target.allowPurchases,
    cleanupFailures: 0,
    annotations: {},
    ...seen,
  };
}

async function runAttempts(
  journey: Journey,
  target: TargetInfo,
  options: RunOptions,
  base: Pick<RunResult, 'runId' | 'journey' | 'target' | 'startedAt'> & { readonly traceId: string },
  t0: number,
): Promise<RunResult> {
  const policy = options.trace ?? DEFAULT_TRACE_POLICY;
  const tracing = options.artifactsDir !== undefined && policy !== 'off';
  // Retries are the operator's, never the trace policy's: a retry that passes makes the run
  // `flaky` (good for the SLI), so the policy must not add one. on-first-retry (Playwright's
  // convention) traces the first retry, when there is one.
  const retries = Number.isFinite(options.retries) ? Math.max(0, Math.floor(options.retries!)) : 0;
  const traced = (attempt: number): boolean => tracing && (policy !== 'on-first-retry' || attempt === 2);
  const annotations: Annotations = {};
  const reports: AttemptReport[] = [];
  try {
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      if (attempt > 1 && options.signal?.aborted) break;
      const report = await runAttempt({
        journey,
        target,
        options,
        runId: base.runId,
        traceId: base.traceId,
        attempt,
        annotations,
        collectEvidence: options.artifactsDir !== undefined,
        tracePath: traced(attempt)
          ? join(privateTraceDir(), `${pathSegment(base.runId)}-${attempt}.zip`)
          : undefined,
        // on-first-retry keeps the retry's trace whatever its outcome (Playwright's convention):
        // a flaky run's retry is the only traced attempt it has.
        keepTraceOnSuccess: policy === 'on' || (policy === 'on-first-retry' && traced(attempt)),
      });
      reports.push(report);
      if (report.outcome === 'success' || report.aborted) break;
    }
    const last = reports.at(-1)!;
    const redactor = new Redactor(reports.flatMap((r) => r.secrets));
    const outcome = deriveOutcome(reports, {
      latencyBudgetMs: options.latencyBudgetMs ?? journey.latencyBudgetMs,
      aborted: last.aborted,
    });
    let result: RunResult = {
      ...base,
      outcome,
      durationMs: 0,
      attempts: reports.length,
      attemptOutcomes: reports.map((r) => r.outcome),
      steps: last.steps.map((s) => redactStep(s, redactor)),
      ...(last.failure
        ? { failure: { ...last.failure, message: redactor.redact(last.failure.message) } }
        : {}),
      safeMode: journey.mutates && !target.allowPurchases,
      cleanupFailures: reports.reduce((n, r) => n + r.cleanupFailures, 0),
      annotations: redactAnnotations(annotations, redactor),
      ...signInsOf(reports),
    };
    const keep = outcome === 'failure' || outcome === 'error' || outcome === 'flaky' || policy === 'on';
    if (options.artifactsDir !== undefined && keep) {
      result = { ...result, durationMs: performance.now() - t0 };
      const written = await writeArtifacts(
        options.artifactsDir,
        result,
        evidenceOf(outcome, reports),
        redactor,
        options.log,
        options.signal,
      );
      result = {
        ...result,
        artifacts: written.artifacts,
        annotations: { ...result.annotations, ...written.annotations },
      };
    }
    result = { ...result, durationMs: performance.now() - t0 };
    logResult(options, result);
    return result;
  } finally {
    const traces = reports.flatMap((r) => (r.evidence?.tracePath ? [r.evidence.tracePath] : []));
    await Promise.all(traces.map((path) => rm(path, { force: true }))).catch(() => undefined);
  }
}

/**
 * Which attempt's evidence a kept run shows. A flaky run: its last failed attempt's (it explains
 * the flake) — with on-first-retry, which traced only the retry, the retry's trace. A failed
 * run: its last traced failed attempt (on-first-retry traces attempt 2 only), else its last.
 */
function evidenceOf(outcome: Outcome, reports: readonly AttemptReport[]): Evidence | undefined {
  const failed = reports.filter((r) => r.outcome !== 'success');
  const tracedFailure = failed.findLast((r) => r.evidence?.tracePath !== undefined);
  if (outcome === 'failure' || outcome === 'error') return (tracedFailure ?? reports.at(-1))?.evidence;
  if (outcome !== 'flaky') return reports.at(-1)?.evidence;
  const evidence = failed.at(-1)?.evidence;
  const trace = evidence?.tracePath ?? reports.findLast((r) => r.evidence?.tracePath)?.evidence?.tracePath;
  return evidence === undefined || trace === undefined ? evidence : { ...evidence, tracePath: trace };
}

function signInsOf(reports: readonly AttemptReport[]): Pick<RunResult, 'signIns'> {
  const counted = reports.flatMap((r) => (r.signIns ? [r.signIns] : []));
  if (counted.length === 0) return {};
  const sum = (k: 'success' | 'failure'): number => counted.reduce((n, s) => n + s[k], 0);
  return { signIns: { success: sum('success'), failure: sum('failure') } };
}

function redactStep(step: StepResult, redactor: Redactor): StepResult {
  return step.failure
    ? { ...step, failure: { ...step.failure, message: redactor.redact(step.failure.message) } }
    : step;
}

function redactAnnotations(annotations: Annotations, redactor: Redactor): Annotations {
  return Object.fromEntries(
    Object.entries(annotations).map(([k, v]) => [k, typeof v === 'string' ? redactor.redact(v) : v]),
  );
}

/** The run's one outcome line (at info: a failed run is a result, not a warning about the prober). */
export function logResult(options: Pick<RunOptions, 'log'>, result: RunResult): void {
  const { runId, traceId, journey, target, outcome, durationMs, attempts, failure } = result;
  const fields = { runId, traceId, journey, target, outcome, durationMs: Math.round(durationMs), attempts };
  // At info like any other, so `run`'s warn-level stderr keeps to what its summary does not say.
  options.log.info({ ...fields, failure }, 'run finished');
}
