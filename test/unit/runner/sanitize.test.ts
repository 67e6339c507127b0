import { describe, expect, it } from 'vitest';
import {
  errorText,
  stripAnsi,
  stripQueryStrings,
  terminalSafe,
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

  it('removes every escape sequence and shows every other control character (terminal safety)', () => {
    expect(terminalSafe('\u001b]0;pwned\u0007title')).toBe('title'); // OSC window title, BEL-ended
    expect(terminalSafe('\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\')).toBe('link'); // OSC 8, ST-ended
    expect(terminalSafe('a\u001bcb')).toBe('ab'); // ESC c resets the terminal
    expect(terminalSafe('dcs\u001bPq#0\u001b\\end')).toBe('dcsend');
    expect(terminalSafe('c1\u009b31mred\u009dx\u009c')).toBe('c1red');
    expect(terminalSafe('\u001b[2J\u001b[31mred\u001b[0m')).toBe('red');
    expect(terminalSafe('fail\r✓ success')).toBe('fail\\x0d✓ success');
    expect(terminalSafe('n\u0000ul b\u0008s \u007f')).toBe('n\\x00ul b\\x08s \\x7f');
    expect(terminalSafe('bidi\u202eevil')).toBe('bidi\\u{202e}evil');
    expect(terminalSafe('tab\tkeeps\nlines')).toBe('tab\tkeeps\nlines');
    expect(terminalSafe('one\nline', true)).toBe('one\\x0aline');
  });

  it('a failure message from page text is terminal-safe', () => {
    expect(toMessage('Error: \u001b]0;x\u0007boom\r✓ passed\u0000')).toBe('Error: boom\\x0d✓ passed\\x00');
  });
});
