import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import junitModule, { type Builder } from 'junit-report-builder';
import type { FailureInfo, RunResult } from '../journey/types.js';
import type { ResultSink } from './sink.js';

// The package is CommonJS whose module.exports is the builder; its types declare an ES default export.
const junit = junitModule as unknown as Builder;

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/** A path as the report names it: relative to the report's directory (forward slashes), as GitLab resolves it. */
function fromReport(path: string, reportDir: string | undefined): string {
  if (reportDir === undefined) return path;
  const rel = relative(resolve(reportDir), isAbsolute(path) ? path : resolve(path));
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/** What a CI system shows in the failure's body: the step, the class, the message, the run. */
function failureBody(run: RunResult, failure: FailureInfo & { readonly step: string }): string {
  const attempts = `${run.attempts} attempt${run.attempts === 1 ? '' : 's'}`;
  return [
    `step:    ${failure.step}`,
    `class:   ${failure.class}`,
    `message: ${failure.message}`,
    `run:     ${run.runId} (${run.outcome}, ${attempts})`,
  ].join('\n');
}

/**
 * The case's system-out: the run, its evidence, and `[[ATTACHMENT|path]]` lines (GitLab's
 * convention: it shows the screenshot and links the file on the test's page) for the
 * screenshot and the trace, relative to the report's directory.
 */
function evidence(run: RunResult, failed: boolean, reportDir: string | undefined): string {
  const lines = [`run ${run.runId}: ${run.outcome}, ${run.attempts} attempt(s)`];
  const artifacts = run.artifacts;
  if (failed && artifacts !== undefined) {
    lines.push(`artifacts: ${fromReport(artifacts.dir, reportDir)}`);
    if (artifacts.trace !== undefined)
      lines.push(`trace: npx playwright show-trace ${fromReport(artifacts.trace, reportDir)}`);
    if (artifacts.screenshot !== undefined)
      lines.push(`[[ATTACHMENT|${fromReport(artifacts.screenshot, reportDir)}]]`);
    if (artifacts.trace !== undefined) lines.push(`[[ATTACHMENT|${fromReport(artifacts.trace, reportDir)}]]`);
  }
  return lines.join('\n');
}

type Case = ReturnType<ReturnType<ReturnType<Builder['newBuilder']>['testSuite']>['testCase']>;

function fail(testCase: Case, run: RunResult, failure: FailureInfo & { readonly step: string }): void {
  const body = failureBody(run, failure);
  if (run.outcome === 'error') testCase.error(failure.message, failure.class, body);
  else testCase.failure(failure.message, failure.class).stacktrace(body);
}

/**
 * JUnit XML for deploy pipelines: one testsuite per journey × target, one testcase per
 * step of each run. A failed step is a `<failure>` whose type is the failure class and
 * whose body names the step, class and message; a prober error is an `<error>`, so a CI
 * report tells "the portal broke" from "the prober broke"; unreached steps are skipped.
 * With `reportDir` (where the report is written), evidence paths are relative to it.
 */
export function junitReport(results: readonly RunResult[], reportDir?: string): string {
  const builder = junit.newBuilder().name('journey-prober');
  const groups = new Map<string, RunResult[]>();
  for (const result of results) {
    const key = `${result.journey} (${result.target})`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  for (const [name, runs] of groups) {
    const suite = builder.testSuite().name(name);
    const first = runs[0];
    if (first !== undefined) suite.timestamp(new Date(first.startedAt)).property('target', first.target);
    runs.forEach((run, index) => {
      const prefix = runs.length > 1 ? `run ${index + 1}: ` : '';
      for (const step of run.steps) {
        const testCase = suite
          .testCase()
          .className(`${run.journey}.${run.target}`)
          .name(`${prefix}${step.name}`)
          .time(seconds(step.durationMs));
        if (step.outcome === 'skipped') testCase.skipped();
        else if (step.failure !== undefined) fail(testCase, run, { ...step.failure, step: step.name });
        testCase.standardOutput(evidence(run, step.failure !== undefined, reportDir));
      }
      // A run that failed before its first step (account, setup) still shows as a failed case.
      const failure = run.failure;
      if (failure !== undefined && !run.steps.some((s) => s.name === failure.step)) {
        const testCase = suite
          .testCase()
          .className(`${run.journey}.${run.target}`)
          .name(`${prefix}${failure.step}`);
        fail(testCase, run, failure);
        testCase.standardOutput(evidence(run, true, reportDir));
      }
    });
  }
  return builder.build();
}

export function writeJunitReport(file: string, results: readonly RunResult[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, junitReport(results, dirname(file)));
}

/** `run --junit FILE`: every run of the command in one JUnit file, written when the command is done. */
export function junitSink(file: string): ResultSink {
  const results: RunResult[] = [];
  return {
    name: 'junit',
    onResult: (result) => void results.push(result),
    onClose: () => writeJunitReport(file, results),
  };
}
