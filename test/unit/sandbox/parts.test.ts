import { describe, expect, it } from 'vitest';
import { html, raw } from '../../../src/sandbox/html.js';
import { Router } from '../../../src/sandbox/http.js';
import { checkCard, luhnValid, MAGIC_CARDS } from '../../../src/sandbox/payment/cards.js';
import { RequestLog, type RequestRecord } from '../../../src/sandbox/request-log.js';

const NOW = new Date('2026-05-10T00:00:00Z');
const good = {
  holderName: 'QA Test',
  number: '4111 1111 1111 1111',
  expMonth: '01',
  expYear: '2030',
  cvv: '123',
};

describe('payment cards', () => {
  it('every magic number is a Luhn-valid card with its outcome', () => {
    for (const number of Object.keys(MAGIC_CARDS)) expect(luhnValid(number)).toBe(true);
    expect(checkCard({ ...good, number: '4000 0000 0000 0002' }, NOW).outcome).toBe('decline');
    expect(checkCard({ ...good, number: '4000-0000-0000-9995' }, NOW).outcome).toBe('insufficient_funds');
    expect(checkCard({ ...good, number: '4000002760003184' }, NOW).outcome).toBe('3ds_required');
    expect(checkCard({ ...good, number: '4000 0000 0000 0119' }, NOW).outcome).toBe('lock_contention');
    expect(checkCard(good, NOW)).toMatchObject({ brand: 'Visa', last4: '1111', outcome: 'ok' });
    expect(checkCard({ ...good, number: '5555 5555 5555 4444' }, NOW)).toMatchObject({
      brand: 'Mastercard',
      outcome: 'ok',
    });
  });

  it.each([
    [{ holderName: ' ' }, 'creditCardHolderName'],
    [{ number: '4111 1111 1111 1112' }, 'creditCardNumber'],
    [{ number: '4111' }, 'creditCardNumber'],
    [{ expMonth: '13' }, 'creditCardExpirationMonth'],
    [{ expYear: '26' }, 'creditCardExpirationYear'],
    [{ expMonth: '04', expYear: '2026' }, 'creditCardExpirationYear'], // expired last month
    [{ cvv: '12' }, 'cardSecurityCode'],
  ])('rejects %j in field %s', (change, field) => {
    expect(() => checkCard({ ...good, ...change }, NOW)).toThrow(expect.objectContaining({ field }) as Error);
  });

  it('accepts a card expiring this month', () => {
    expect(checkCard({ ...good, expMonth: '05', expYear: '2026' }, NOW).outcome).toBe('ok');
  });
});

describe('RequestLog', () => {
  const record = (i: number, synthetic?: string): RequestRecord => ({
    origin: 'portal',
    method: 'GET',
    path: `/p${i}`,
    step: i % 2 === 0 ? 'checkout' : 'other',
    status: 200,
    startedAt: '',
    durationMs: i,
    ...(synthetic === undefined ? {} : { synthetic }),
  });

  it('keeps the last N oldest first, and filters', () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 5; i += 1) log.add(record(i, i === 4 ? 'purchase/r1' : undefined));
    expect(log.list().map((r) => r.path)).toEqual(['/p3', '/p4', '/p5']);
    expect(log.list({ limit: 1 }).map((r) => r.path)).toEqual(['/p5']);
    expect(log.list({ synthetic: 'purchase/' }).map((r) => r.path)).toEqual(['/p4']);
    expect(log.list({ step: 'checkout' }).map((r) => r.path)).toEqual(['/p4']);
    log.clear();
    expect(log.list()).toEqual([]);
  });
});

describe('Router and html', () => {
  it('matches params, reports allowed methods, rejects bad escapes', () => {
    const noop = (): void => undefined;
    const router = new Router().add('GET', '/gitlab/namespaces/:group/renew', noop).add('POST', '/x', noop);
    expect(router.match('GET', '/gitlab/namespaces/my%20group/renew')).toMatchObject({
      kind: 'found',
      params: { group: 'my group' },
    });
    expect(router.match('HEAD', '/gitlab/namespaces/g/renew').kind).toBe('found');
    expect(router.match('GET', '/x')).toEqual({ kind: 'method', allowed: ['POST'] });
    expect(router.match('GET', '/gitlab/namespaces/%E0%A4%A/renew').kind).toBe('none');
    expect(router.match('GET', '/gitlab/namespaces//renew').kind).toBe('none');
  });

  it('escapes interpolations unless trusted', () => {
    expect(html`<p title="${'"><script>'}">${['<b>', raw('<i>')]}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;<i></p>',
    );
  });
});
