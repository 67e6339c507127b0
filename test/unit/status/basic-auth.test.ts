import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { BasicAuth, BasicAuthConfigError, parseBasicAuth } from '../../../src/server/auth.js';

const basic = (text: string): string => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
/** What the guard reads of a request: its Authorization header. */
const request = (authorization?: string): string | undefined => authorization;

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

  it('answers 401 with a Basic challenge', async () => {
    const app = new Hono();
    app.use('*', auth.middleware());
    app.get('/', (c) => c.text('in'));
    const res = await app.request('/', { headers: { authorization: basic('oncall:nope') } });
    const written = { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
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
