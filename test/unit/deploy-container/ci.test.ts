import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';
import { GATE_COMMAND } from './gate.js';
import { at, list, parseYamlFile } from './manifests.js';

const ROOT = join(import.meta.dirname, '../../..');
const GATE_ARGS = GATE_COMMAND.replace(/^journey-prober /, '');
const gitlab = parseYamlFile(join(ROOT, 'deploy/ci/gitlab-ci.yml'))[0] as Record<string, unknown>;
const github = parseYamlFile(join(ROOT, 'deploy/ci/github-actions.yml'))[0] as Record<string, unknown>;

/** The prober invocation in a script: from `run --all` to the end of its (continued) line. */
function gateArgv(script: string): string[] {
  const line = script.split('\n').find((l) => l.includes(GATE_ARGS));
  expect(line, `the gate command "${GATE_ARGS}"`).toBeDefined();
  return line!.slice(line!.indexOf(GATE_ARGS)).trim().split(/\s+/);
}

describe('deploy gate examples', () => {
  it('docs/deploy.md shows the gate command and every exit code', () => {
    const docs = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
    expect(docs).toContain(GATE_COMMAND);
    for (const code of [0, 1, 2, 3]) expect(docs).toMatch(new RegExp(`\\|\\s*\`?${code}\`?\\s*\\|`));
  });

  it('GitLab CI: runs a valid gate, keeps the JUnit report and evidence, rolls back only on exit 1', async () => {
    const gate = at(gitlab, 'journey-prober:gate');
    const script = (at(gate, 'script') as string[]).join('\n');
    const parsed = await parseCliArgs(gateArgv(script));
    expect(parsed).toMatchObject({
      command: 'run',
      options: { all: true, target: 'staging', retries: 1, junit: 'report.xml' },
    });
    expect(at(gate, 'artifacts', 'when')).toBe('always');
    expect(at(gate, 'artifacts', 'reports', 'junit')).toBe('report.xml');
    expect(at(gate, 'artifacts', 'paths')).toEqual(
      expect.arrayContaining(['report.xml', `${String(parsed.options.artifacts)}/`]),
    );
    expect(at(gate, 'allow_failure', 'exit_codes')).toEqual([3]);

    const rollback = at(gitlab, 'rollback:staging');
    expect(at(rollback, 'when')).toBe('on_failure');
    expect(list(rollback, 'needs')[0]?.job).toBe('journey-prober:gate');
    expect((at(rollback, 'script') as string[]).join('\n')).toMatch(/= "1"/);
  });

  it('GitHub Actions: runs a valid gate, publishes the report, rolls back only on exit 1', async () => {
    const steps = list(github, 'jobs', 'gate', 'steps');
    const gate = steps.find((s) => s.id === 'gate');
    const argv = gateArgv(String(gate?.run));
    const parsed = await parseCliArgs(argv);
    expect(parsed).toMatchObject({
      command: 'run',
      options: { all: true, target: 'staging', retries: 1, junit: 'report.xml' },
    });
    expect(String(gate?.run)).toContain('--init');
    const upload = steps.find((s) => String(s.uses).startsWith('actions/upload-artifact'));
    expect(upload?.if).toBe('always()');
    const rollback = steps.find((s) => String(s.run).includes('rollback'));
    expect(rollback?.if).toBe("steps.gate.outputs.code == '1'");
  });
});
