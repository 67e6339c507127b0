import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS, Redactor, SecretRegistry } from '../../src/log.js';
import { Secret } from '../../src/journey/secret.js';

function capture(secrets: SecretRegistry) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = pino(
    {
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: (s) => secrets.scrub(s) },
    },
    stream,
  );
  return { log, lines };
}

describe('log redaction', () => {
  it('scrubs known secret values wherever they appear, in every encoding', () => {
    const secrets = new SecretRegistry();
    secrets.add('p@ss "word"/1');
    const { log, lines } = capture(secrets);
    log.info(
      { url: `https://x/?pw=${encodeURIComponent('p@ss "word"/1')}` },
      'typed p@ss "word"/1 into the form',
    );
    const text = lines.join('');
    expect(text).not.toContain('p@ss');
    expect(text).not.toContain(encodeURIComponent('p@ss "word"/1'));
    expect(text.match(/\[redacted\]/g)?.length).toBe(2);
  });

  it('censors password and cookie fields by path', () => {
    const { log, lines } = capture(new SecretRegistry());
    log.info({ password: 'abc', account: { password: 'abc' }, headers: { cookie: 'session=1' } }, 'x');
    expect(lines.join('')).not.toMatch(/abc|session=1/);
  });

  it('a Secret never prints its value', () => {
    const secret = new Secret('hunter22');
    expect(String(secret)).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(secret.reveal()).toBe('hunter22');
  });
});

describe('a card security code, redacted only as a whole value', () => {
  const redactor = new Redactor(['123']);

  it('in every string or form value, the last value of a body included', () => {
    const cases: [string, string][] = [
      ['number=4111&cvv=123', 'number=4111&cvv=[redacted]'],
      ['cvv=123\nnext=1', 'cvv=[redacted]\nnext=1'],
      ['{"cvv":"123"}', '{"cvv":"[redacted]"}'],
      ['<td>123</td>', '<td>[redacted]</td>'],
    ];
    for (const [text, expected] of cases) {
      expect(redactor.redact(text), text).toBe(expected);
      expect(redactor.redactBuffer(Buffer.from(text)).buffer.toString(), text).toBe(expected);
      expect(redactor.foundIn(text), text).toBe(true);
    }
  });

  it('never inside another number, nor at the end of a chunk that is not the end', () => {
    // A bare JSON number stays: a trace must stay valid JSON (the portal sends the code as a string).
    for (const text of ['{"total":1234}', 'id=51230', 'x=1123', '{"n":[1123]}', '{"x":123}'])
      expect(redactor.redact(text), text).toBe(text);
    expect(redactor.redactBuffer(Buffer.from('cvv=123'), false).buffer.toString()).toBe('cvv=123');
  });

  it('streamed: a body ending in the code is redacted at its end, not at a chunk boundary', async () => {
    const { stream, replaced } = redactor.redactStream();
    const out: Buffer[] = [];
    stream.on('data', (c: Buffer) => out.push(c));
    const done = new Promise((resolve) => stream.on('end', resolve));
    stream.write(Buffer.from('a=123'));
    stream.write(Buffer.from('4&b=1&cvv=123'));
    stream.end();
    await done;
    expect(Buffer.concat(out).toString()).toBe('a=1234&b=1&cvv=[redacted]');
    expect(replaced()).toBe(1);
  });
});
