import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junitReport } from '../../../src/sinks/junit.js';
import { accountFailure, erroredRun, failedRun, passedRun } from './fixtures.js';

interface Case {
  '@_name': string;
  '@_classname': string;
  '@_time'?: string;
  failure?: { '@_message': string; '@_type': string; '#text'?: string };
  error?: { '@_message': string; '@_type': string; '#text'?: string };
  'system-out'?: string;
  skipped?: unknown;
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  testcase: Case[];
}

function parse(xml: string): Suite[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  const doc = parser.parse(xml) as { testsuites: { testsuite: Suite[] } };
  return doc.testsuites.testsuite;
}

describe('junitReport', () => {
  it('makes one suite per journey and target, one case per step', () => {
    const suites = parse(junitReport([failedRun, passedRun]));
    expect(suites.map((s) => s['@_name'])).toEqual(['purchase (staging)', 'renewal (staging)']);
    const purchase = suites[0]!;
    expect(purchase['@_tests']).toBe('3');
    expect(purchase['@_failures']).toBe('1');
    expect(purchase['@_skipped']).toBe('1');
    expect(purchase.testcase.map((c) => c['@_name'])).toEqual(['sign in', 'payment', 'confirm']);
    const payment = purchase.testcase[1]!;
    expect(payment.failure?.['@_type']).toBe('payment_declined');
    expect(payment.failure?.['@_message']).toMatch(/card was declined/);
    expect(payment['@_time']).toBe('3.01');
    expect(payment['@_classname']).toBe('purchase.staging');
  });

  it('reports a prober error as an error, not a failure', () => {
    const [suite] = parse(junitReport([erroredRun]));
    expect(suite!['@_errors']).toBe('1');
    expect(suite!['@_failures']).toBe('0');
    expect(suite!.testcase[0]!.error?.['@_type']).toBe('browser');
  });

  it('shows a failure before the first step as a case of its own', () => {
    const [suite] = parse(junitReport([accountFailure]));
    expect(suite!.testcase.map((c) => c['@_name'])).toEqual(['account']);
    expect(suite!.testcase[0]!.failure?.['@_type']).toBe('precondition');
  });

  it('numbers repeated runs of one journey', () => {
    const [suite] = parse(junitReport([passedRun, { ...passedRun, runId: 'r2' }]));
    expect(suite!.testcase.map((c) => c['@_name'])).toEqual([
      'run 1: sign in',
      'run 1: renew',
      'run 2: sign in',
      'run 2: renew',
    ]);
  });

  it('escapes markup in messages', () => {
    const run = {
      ...failedRun,
      steps: [
        {
          ...failedRun.steps[1]!,
          failure: { class: 'assertion' as const, message: 'expected <b>"$1"</b> & more' },
        },
      ],
    };
    const [suite] = parse(junitReport([run]));
    expect(suite!.testcase[0]!.failure?.['@_message']).toBe('expected <b>"$1"</b> & more');
  });

  it('gives a failure a body naming the step, class and message', () => {
    const [suite] = parse(junitReport([failedRun]));
    expect(suite!.testcase[1]!.failure?.['#text']).toBe(
      [
        'step:    payment',
        'class:   payment_declined',
        'message: Your card was declined. Contact your card issuer',
        'run:     r-fail (failure, 2 attempts)',
      ].join('\n'),
    );
    const [errored] = parse(junitReport([erroredRun]));
    expect(errored!.testcase[0]!.error?.['#text']).toMatch(/^step: {4}\S.*\nclass: {3}browser\nmessage: /);
  });

  it("attaches the screenshot and the trace GitLab's way, relative to the report", () => {
    const [suite] = parse(junitReport([failedRun], '/a/reports'));
    const out = suite!.testcase[1]!['system-out'] ?? '';
    expect(out.split('\n')).toEqual([
      'run r-fail: failure, 2 attempt(s)',
      'artifacts: ../purchase/staging/x',
      'trace: npx playwright show-trace ../purchase/staging/x/trace.zip',
      '[[ATTACHMENT|../purchase/staging/x/screenshot.png]]',
      '[[ATTACHMENT|../purchase/staging/x/trace.zip]]',
    ]);
    // Passed steps carry no evidence.
    expect(suite!.testcase[0]!['system-out']).not.toContain('ATTACHMENT');
  });

  it('attaches the evidence of a run that failed before its first step', () => {
    const run = { ...accountFailure, artifacts: { dir: '/a/x', screenshot: '/a/x/screenshot.png' } };
    const [suite] = parse(junitReport([run], '/a'));
    expect(suite!.testcase[0]!['system-out']).toContain('[[ATTACHMENT|x/screenshot.png]]');
    expect(suite!.testcase[0]!.failure?.['#text']).toContain('class:   precondition');
  });
});
