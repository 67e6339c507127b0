import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import junitModule, { type Builder } from 'junit-report-builder';
import type { RunResult } from '../journey/types.js';
import type { ResultSink } from './sink.js';

// The package is CommonJS whose module.exports is the builder; its types declare an ES default export.
const junit = junitModule as unknown as Builder;

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/**
 * JUnit XML for deploy pipelines: one testsuite per journey × target, one testcase per
 * step of each run. A failed step is a `<failure>` whose type is the failure class; a
 * prober error is an `<error>`, so a CI report tells "the portal broke" from "the prober
 * broke"; unreached steps are skipped.
 */
export function junitReport(results: readonly RunResult[]): string {
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
        else if (step.failure !== undefined && run.outcome === 'error') {
          testCase.error(step.failure.message, step.failure.class);
        } else if (step.failure !== undefined) testCase.failure(step.failure.message, step.failure.class);
        const lines = [`run ${run.runId}: ${run.outcome}, ${run.attempts} attempt(s)`];
        if (step.failure !== undefined && run.artifacts !== undefined) {
          lines.push(`artifacts: ${run.artifacts.dir}`);
          if (run.artifacts.trace !== undefined)
            lines.push(`trace: npx playwright show-trace ${run.artifacts.trace}`);
        }
        testCase.standardOutput(lines.join('\n'));
      }
      // A run that failed before its first step (account, setup) still shows as a failed case.
      if (run.failure !== undefined && !run.steps.some((s) => s.name === run.failure?.step)) {
        const testCase = suite
          .testCase()
          .className(`${run.journey}.${run.target}`)
          .name(`${prefix}${run.failure.step}`);
        if (run.outcome === 'error') testCase.error(run.failure.message, run.failure.class);
        else testCase.failure(run.failure.message, run.failure.class);
      }
    });
  }
  return builder.build();
}

export function writeJunitReport(file: string, results: readonly RunResult[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, junitReport(results));
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
