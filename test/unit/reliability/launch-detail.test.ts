import { describe, expect, it } from 'vitest';
import { launchFailureDetail } from '../../../src/runner/chromium-process.js';

const RAW = [
  'browserType.launch: Target page, context or browser has been closed',
  'Browser logs:',
  '',
  '<launching> /opt/chromium --no-sandbox',
  '<launched> pid=42',
  '[pid=42][err] [42:42:ERROR:dbus] noise',
  '[pid=42][err] /opt/chromium: error while loading shared libraries: libnss3.so',
  'Call log:',
  '  - [pid=42][err] /opt/chromium: error while loading shared libraries: libnss3.so',
  '  - [pid=42] <process did exit: exitCode=127, signal=null>',
].join('\n');

describe('launchFailureDetail', () => {
  it("keeps Playwright's first line, the exit and Chromium's last words, once each", () => {
    expect(launchFailureDetail(RAW)).toBe(
      'browserType.launch: Target page, context or browser has been closed; exitCode=127, signal=null; ' +
        'it wrote: [42:42:ERROR:dbus] noise | /opt/chromium: error while loading shared libraries: libnss3.so',
    );
  });

  it('is the first line alone when the browser said nothing', () => {
    expect(launchFailureDetail('browserType.launch: Timeout 30000ms exceeded.\nCall log:\n  - x')).toBe(
      'browserType.launch: Timeout 30000ms exceeded.',
    );
  });

  it("keeps Playwright's xvfb-run hint for a headed browser without a display", () => {
    // What Playwright 1.5x gave for `headless: false` with DISPLAY unset (Debian's Chromium).
    const raw = [
      'browserType.launch: Target page, context or browser has been closed',
      'Browser logs:',
      '',
      '╔════════════════════════════════════════════════════════════════════════════════════════════════╗',
      '║ Looks like you launched a headed browser without having a XServer running.                     ║',
      "║ Set either 'headless: true' or use 'xvfb-run <your-playwright-app>' before running Playwright. ║",
      '║                                                                                                ║',
      '║ <3 Playwright Team                                                                             ║',
      '╚════════════════════════════════════════════════════════════════════════════════════════════════╝',
      'Call log:',
      '\u001b[2m  - <launched> pid=10243\u001b[22m',
      '\u001b[2m  - [pid=10243][err] [10243:10243:ERROR:ozone_platform_x11.cc:257] Missing X server or $DISPLAY\u001b[22m',
      '\u001b[2m  - [pid=10243] <process did exit: exitCode=1, signal=null>\u001b[22m',
    ].join('\n');
    expect(launchFailureDetail(raw)).toBe(
      'browserType.launch: Target page, context or browser has been closed; ' +
        'Looks like you launched a headed browser without having a XServer running. ' +
        "Set either 'headless: true' or use 'xvfb-run <your-playwright-app>' before running Playwright.; " +
        'exitCode=1, signal=null',
    );
  });
});
