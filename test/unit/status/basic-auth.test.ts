import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BasicAuth, BasicAuthConfigError, parseBasicAuth } from '../../../src/server/basic-auth.js';

const basic = (text: string): string => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
const request = (authorization?: string): IncomingMessage =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

describe('parseBasicAuth', () => {
  it('splits at the first colon (passwords may hold colons)', () => {
    expect(parseBasicAuth(basic('oncall:pa:ss'))).toEqual({ user: 'oncall', password: 'pa:ss' });
    expect(parseBasicAuth(`basic  ${Buffer.from('a:b').toString('base64')}`)).toEqual({
      user: 'a',
      password: 'b',
    });
  });
  it.each([undefined, '', 'Bearer abc', 'Basic', 'Basic !!!', basic('no-colon')])('rejects %j', (header) => {
    expect(parseBasicAuth(header)).toBeUndefined();
  });
});

describe('BasicAuth', () => {
  const auth = new BasicAuth({ username: 'oncall', password: 's3cret:é' });

  it('allows exactly the configured user and password', () => {
    expect(auth.allows(request(basic('oncall:s3cret:é')))).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['wrong password', basic('oncall:s3cret')],
    ['password with extra', basic('oncall:s3cret:éx')],
    ['wrong user', basic('Oncall:s3cret:é')],
    ['empty', basic(':')],
    ['bearer', 'Bearer s3cret'],
  ])('refuses %s', (_name, header) => {
    expect(auth.allows(request(header))).toBe(false);
  });

  it('answers 401 with a Basic challenge', () => {
    const written: { status?: number; headers?: Record<string, unknown>; body?: unknown } = {};
    const res = {
      writeHead(status: number, headers: Record<string, unknown>) {
        written.status = status;
        written.headers = headers;
        return this;
      },
      end(body?: unknown) {
        written.body = body;
        return this;
      },
    };
    const req = { ...request(basic('oncall:nope')), method: 'GET' } as IncomingMessage;
    expect(auth.guard(req, res as never)).toBe(false);
    expect(written.status).toBe(401);
    expect(written.headers?.['www-authenticate']).toBe('Basic realm="journey-prober", charset="UTF-8"');
    expect(String(written.body)).not.toContain('s3cret');
  });

  it('never shows the password when logged or serialised', () => {
    expect(JSON.stringify(auth)).not.toContain('s3cret');
  });

  it('rejects unusable credentials with a clear error', () => {
    expect(() => new BasicAuth({ username: '', password: 'x' })).toThrow(BasicAuthConfigError);
    expect(() => new BasicAuth({ username: 'a:b', password: 'x' })).toThrow('must not contain ":"');
    expect(() => new BasicAuth({ username: 'a', password: '' })).toThrow('password is empty');
  });
});
