import { describe, expect, it } from 'vitest';
import { BrowserNotFoundError, resolveBrowserPath } from '../../../src/runner/browser.js';
import { chromiumArgs } from '../../../src/runner/chromium-process.js';

const only =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);
const PW = '/root/.cache/ms-playwright/chromium-1200/chrome-linux/chrome';
const pw = () => PW;

describe('resolveBrowserPath', () => {
  it('uses PROBER_BROWSER_PATH first', () => {
    expect(resolveBrowserPath({ PROBER_BROWSER_PATH: '/opt/chrome' }, only('/opt/chrome', PW), pw)).toEqual({
      path: '/opt/chrome',
      source: 'env',
    });
  });

  it('fails, naming the variable, when PROBER_BROWSER_PATH does not exist', () => {
    expect(() => resolveBrowserPath({ PROBER_BROWSER_PATH: '/nope' }, only(PW), pw)).toThrow(
      /PROBER_BROWSER_PATH=\/nope/,
    );
  });

  it("then Playwright's Chromium when its executable exists", () => {
    expect(resolveBrowserPath({}, only(PW, '/usr/bin/chromium'), pw)).toEqual({
      path: PW,
      source: 'playwright',
    });
  });

  it("then Debian's binary rather than its wrapper script", () => {
    const both = only('/usr/bin/chromium', '/usr/lib/chromium/chromium');
    expect(resolveBrowserPath({}, both, pw)).toEqual({
      path: '/usr/lib/chromium/chromium',
      source: 'system',
    });
    expect(resolveBrowserPath({}, only('/usr/bin/chromium'), () => undefined).path).toBe('/usr/bin/chromium');
  });

  it('names every place looked when nothing is found', () => {
    try {
      resolveBrowserPath({}, () => false, pw);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BrowserNotFoundError);
      const message = (error as Error).message;
      for (const place of ['PROBER_BROWSER_PATH', PW, '/usr/lib/chromium/chromium', '/usr/bin/chromium']) {
        expect(message).toContain(place);
      }
    }
  });

  it('finds the browser of this machine', () => {
    expect(resolveBrowserPath().path).toMatch(/chrom/);
  });
});

describe('chromiumArgs', () => {
  it('adds --no-sandbox as root or with PROBER_NO_SANDBOX=1 only', () => {
    expect(chromiumArgs([], {}, 0)).toContain('--no-sandbox');
    expect(chromiumArgs([], { PROBER_NO_SANDBOX: '1' }, 1000)).toContain('--no-sandbox');
    expect(chromiumArgs([], {}, 1000)).not.toContain('--no-sandbox');
  });

  it('always quiets the browser, then appends extra args', () => {
    const args = chromiumArgs(['--lang=en'], {}, 1000);
    for (const a of [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ]) {
      expect(args).toContain(a);
    }
    expect(args.at(-1)).toBe('--lang=en');
  });
});
