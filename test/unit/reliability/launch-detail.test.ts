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
});
