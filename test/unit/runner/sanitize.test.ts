import { describe, expect, it } from 'vitest';
import {
  errorText,
  stripAnsi,
  stripQueryStrings,
  toMessage,
  urlWithoutQuery,
} from '../../../src/runner/sanitize.js';

describe('sanitize', () => {
  it('strips ANSI colour codes', () => {
    expect(stripAnsi('\u001b[31mred\u001b[39m \u001b[2mdim\u001b[22m')).toBe('red dim');
  });

  it('drops query strings and fragments of every URL in a text', () => {
    expect(stripQueryStrings('at https://a.b/c?token=1&x=2 and http://h:1/p#frag end')).toBe(
      'at https://a.b/c and http://h:1/p end',
    );
    expect(urlWithoutQuery('https://a.b/c/d?x=1')).toBe('https://a.b/c/d');
  });

  it('makes one bounded line without the call log', () => {
    const raw = 'locator.click: Timeout 500ms exceeded.\nCall log:\n  - waiting for locator("#a")\n';
    expect(toMessage(raw)).toBe('locator.click: Timeout 500ms exceeded.');
    expect(toMessage('first\n\nsecond')).toBe('first · second');
    const long = toMessage('y'.repeat(500));
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
  });

  it('applies redaction after dropping queries', () => {
    expect(
      toMessage('password hunter22 at https://x/y?q=hunter22', (t) => t.replaceAll('hunter22', '[redacted]')),
    ).toBe('password [redacted] at https://x/y');
  });

  it('gives the text of anything thrown', () => {
    expect(errorText(new Error('m'))).toBe('m');
    expect(errorText('s')).toBe('s');
    expect(errorText({ a: 1 })).toBe('{"a":1}');
    expect(errorText(undefined)).toBe('undefined');
  });
});
