import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS, SecretRegistry } from '../../src/log.js';
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
