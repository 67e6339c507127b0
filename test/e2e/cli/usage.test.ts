import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/process.js';

/** A fake browser that leaves a mark when anything launches it. */
function markingBrowser(): { path: string; mark: string } {
  const dir = mkdtempSync(join(tmpdir(), 'prober-fake-browser-'));
  const mark = join(dir, 'launched');
  const path = join(dir, 'chromium');
  writeFileSync(path, `#!/bin/sh\ntouch ${mark}\nexit 1\n`);
  chmodSync(path, 0o755);
  return { path, mark };
}

/** The CLI's exit code and output: these tests are about what a process tells its caller. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = await runCli(args, { env, timeoutMs: 30_000 });
  return { code: run.exit.code, stdout: run.stdout, stderr: run.stderr };
}

describe('usage errors: one line on stderr, exit 2, no browser started', () => {
  const cases: [string, string[], RegExp, NodeJS.ProcessEnv?][] = [
    [
      'an unknown journey',
      ['run', 'nosuch'],
      /^journey-prober: unknown journey "nosuch" \(known: .*purchase.*\)$/,
    ],
    [
      'an unknown target',
      ['run', 'purchase', '--target', 'nowhere'],
      /^journey-prober: unknown target "nowhere" \(known: sandbox, staging, production\)$/,
    ],
    ['an unknown flag', ['run', 'purchase', '--colour'], /^error: unknown option '--colour'$/],
    [
      'a bad number',
      ['run', 'purchase', '--repeat', 'many'],
      /--repeat <n>.*must be a whole number from 1 to 10000/,
    ],
    [
      'a bad trace policy',
      ['run', 'purchase', '--trace', 'always'],
      /--trace.*always.*Allowed choices are on, off, retain-on-failure/,
    ],
    [
      'a bad base URL',
      ['run', 'purchase', '--base-url', 'customers'],
      /--base-url.*must be an absolute http\(s\) URL/,
    ],
    ['no journey named', ['run'], /^journey-prober: name at least one journey, or pass --all$/],
    [
      'names and --all together',
      ['run', 'purchse', '--all'],
      /^journey-prober: name journeys or pass --all, not both \(got purchse\)$/,
    ],
    [
      'a missing secret',
      ['run', 'purchase', '--target', 'staging'],
      /^journey-prober: secret PROBER_STAGING_\w+ is not set/,
    ],
    [
      'a config file that does not exist',
      ['run', 'purchase', '--config', '/nonexistent.yaml'],
      /^journey-prober: \/nonexistent\.yaml: config file not found$/,
    ],
    ['an unknown command', ['probe'], /^error: unknown command 'probe'$/],
  ];

  // Each case is its own short-lived process that starts no browser: they run side by side.
  it.concurrent.for(cases)('%s', async ([, args, message, env], { expect }) => {
    const browser = markingBrowser();
    const result = await cli(args, { PROBER_BROWSER_PATH: browser.path, ...env });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stdout).toBe('');
    expect(existsSync(browser.mark)).toBe(false);
  });

  it('an invalid config names every problem on one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prober-cfg-'));
    writeFileSync(join(dir, 'c.yaml'), 'concurrency: 0\ntrace: always\n');
    const result = await cli(['run', 'purchase', '--config', join(dir, 'c.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/c\.yaml: concurrency: .*; trace: /);
  });
});

describe('prober errors: exit 3', () => {
  it('a browser path that does not exist', async () => {
    const result = await cli(['run', 'purchase'], { PROBER_BROWSER_PATH: '/nonexistent/chromium' });
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/\/nonexistent\/chromium/);
  });
});

describe('list', () => {
  it('lists journeys with their steps and the targets as JSON', async () => {
    const result = await cli(['list', '--json']);
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout) as {
      journeys: { name: string; steps?: string[] }[];
      targets: { name: string }[];
    };
    expect(listing.journeys.map((j) => j.name).sort()).toEqual(['purchase', 'renewal', 'seat-change']);
    expect(listing.journeys.every((j) => (j.steps?.length ?? 0) > 0)).toBe(true);
    expect(listing.targets.map((t) => t.name)).toEqual(['sandbox', 'staging', 'production']);
  });

  it('lists them for a person', async () => {
    const result = await cli(['list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Journeys:\n {2}purchase/m);
    expect(result.stdout).toMatch(
      /production\s+https:\/\/customers\.gitlab\.com {2}\(safe mode: no purchases\)/,
    );
  });
});
