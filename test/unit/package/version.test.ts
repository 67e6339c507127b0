import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { versionText } from '../../../src/version.js';

const ROOT = join(import.meta.dirname, '../../..');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const playwright = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/@playwright/test/package.json'), 'utf8')) as {
    version: string;
  }
).version;

function fakeBrowser(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'prober-version-'));
  const path = join(dir, 'chromium');
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('--version', () => {
  it("prints the package's version, Playwright's and what the browser says it is", async () => {
    const path = fakeBrowser('echo "Chromium 156.0.1.2 "');
    expect(await versionText({ PROBER_BROWSER_PATH: path })).toBe(
      `journey-prober ${version}\nplaywright ${playwright}\nbrowser Chromium 156.0.1.2 (${path})`,
    );
  });

  it('says so when the browser does not answer --version', async () => {
    const path = fakeBrowser('exit 1');
    expect(await versionText({ PROBER_BROWSER_PATH: path })).toMatch(
      /\nbrowser unknown \(it did not answer --version\) \(.*chromium\)$/,
    );
  });
});
