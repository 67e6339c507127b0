import { describe, expect, it } from 'vitest';
import { FaultInputError, parseFaults } from '../../../src/sandbox/faults.js';
import { FaultSet } from '../../../src/sandbox/faults.js';
import { namesOf } from '../../../src/sandbox/faults.js';
import type { ServerResponse } from 'node:http';
import { sendHtml } from '../../../src/sandbox/http.js';

describe('parseFaults', () => {
  it('accepts an array or {"faults": [...]} of every shape', () => {
    const all = [
      { match: '/subscriptions/new', latencyMs: 500, status: 503, probability: 0.5, hang: false, count: 2 },
      { payment: 'lock_contention', count: 1 },
      { removeTestId: 'confirm-purchase' },
      { pricePreview: 'fail' },
      { pricing: 'wrong' },
      { provisioningDelayMs: 30_000 },
    ];
    expect(parseFaults(all)).toEqual(all);
    expect(parseFaults({ faults: all })).toEqual(all);
    expect(parseFaults([])).toEqual([]);
  });

  it.each([
    [{ faults: 1 }, 'faults must be an array'],
    [{ fault: [] }, 'body must be an array of faults or {"faults": [...]}'],
    ['x', 'faults must be an array'],
    [[7], 'faults[0]: a fault must be a JSON object'],
    [
      [{}],
      'faults[0]: a fault has exactly one of match, payment, removeTestId, replaceText, pricePreview, pricing, provisioningDelayMs (found none)',
    ],
    [[{ match: 'x', pricing: 'wrong' }], '(found match, pricing)'],
    [[{ match: 'checkout', latency: 5 }], 'faults[0]: Unrecognized key: "latency"'],
    [[{ match: 'checkout' }], 'needs at least one of latencyMs, status or hang'],
    [[{ match: 'checkout', status: 200 }], 'faults[0].status'],
    [
      [{ match: 'checkout', status: '503' }],
      'faults[0].status: Invalid input: expected number, received string',
    ],
    [[{ match: 'checkout', hang: true, probability: 2 }], 'faults[0].probability'],
    [[{ match: 'checkout', latencyMs: -1 }], 'faults[0].latencyMs'],
    [[{ match: 'checkout', status: 503, count: 0 }], 'faults[0].count'],
    [[{ payment: 'stolen' }], 'faults[0].payment'],
    [[{ pricing: 'right' }], 'faults[0].pricing'],
    [[{ removeTestId: 'a b' }], 'faults[0].removeTestId'],
    [Array.from({ length: 101 }, () => ({ pricing: 'wrong' })), 'at most 100 faults'],
  ])('rejects %j: %s', (body, message) => {
    expect(() => parseFaults(body)).toThrow(FaultInputError);
    expect(() => parseFaults(body)).toThrow(message);
  });
});

describe('FaultSet', () => {
  const checkout = namesOf('portal', '/subscriptions/new');

  it('matches by flow step, flow, path prefix and *; payment-origin requests are "payment"', () => {
    const set = new FaultSet();
    set.replace(parseFaults([{ match: 'checkout', latencyMs: 10 }]));
    expect(set.http(checkout)).toEqual({ latencyMs: 10, hang: false });
    expect(set.http(namesOf('portal', '/subscriptions'))).toBeUndefined();
    set.replace(parseFaults([{ match: '/gitlab/namespaces/', status: 500 }]));
    expect(set.http(namesOf('portal', '/gitlab/namespaces/g/renew'))?.status).toBe(500);
    set.replace(parseFaults([{ match: 'extra_seats', status: 502 }]));
    expect(set.http(namesOf('portal', '/api/orders/extra_seats'))?.status).toBe(502); // confirm of the extra_seats flow
    expect(set.http(namesOf('portal', '/api/orders/new'))).toBeUndefined();
    set.replace(parseFaults([{ match: 'payment', hang: true }]));
    expect(set.http(namesOf('payment', '/hpm/page'))?.hang).toBe(true);
    set.replace(parseFaults([{ match: '*', status: 503 }]));
    expect(set.http(namesOf('portal', '/invoices'))?.status).toBe(503);
  });

  it('combines faults: latencies add up, first status wins, any hang hangs', () => {
    const set = new FaultSet();
    set.replace(
      parseFaults([
        { match: 'checkout', latencyMs: 100 },
        { match: '/subscriptions', latencyMs: 50, status: 502 },
        { match: '*', status: 503, hang: true },
      ]),
    );
    expect(set.http(checkout)).toEqual({ latencyMs: 150, status: 502, hang: true });
  });

  it('expires a fault after count firings and shows what remains', () => {
    const set = new FaultSet();
    set.replace(parseFaults([{ match: 'checkout', status: 503, count: 2 }, { pricing: 'wrong' }]));
    expect(set.http(checkout)?.status).toBe(503);
    expect(set.list()).toEqual([
      { match: 'checkout', status: 503, count: 2, remaining: 1 },
      { pricing: 'wrong' },
    ]);
    expect(set.http(checkout)?.status).toBe(503);
    expect(set.http(checkout)).toBeUndefined();
    expect(set.list()).toEqual([{ pricing: 'wrong' }]);
    expect(set.pricingWrong()).toBe(true);
    expect(set.pricingWrong()).toBe(true); // no count: stays
  });

  it('rolls the probability per request and spends no count on a miss', () => {
    const rolls = [0.9, 0.1];
    const set = new FaultSet(() => rolls.shift() ?? 0);
    set.replace(parseFaults([{ payment: 'decline', probability: 0.5, count: 1 }]));
    expect(set.payment(['decline'])).toBeUndefined(); // 0.9 >= 0.5
    expect(set.list()[0]).toMatchObject({ remaining: 1 });
    expect(set.payment(['decline'])).toBe('decline'); // 0.1 < 0.5
    expect(set.list()).toEqual([]);
  });

  it('answers each special fault only for its own kind', () => {
    const set = new FaultSet();
    set.replace(
      parseFaults([
        { payment: 'form_down' },
        { removeTestId: 'a' },
        { removeTestId: 'b', count: 1 },
        { provisioningDelayMs: 5 },
      ]),
    );
    expect(set.payment(['decline', 'lock_contention'])).toBeUndefined();
    expect(set.payment(['form_down'])).toBe('form_down');
    expect(set.removedTestIds()).toEqual(['a', 'b']);
    expect(set.removedTestIds()).toEqual(['a']);
    expect(set.pricePreviewFails()).toBe(false);
    expect(set.provisioningDelayMs()).toBe(5);
    expect(set.replacedTexts()).toEqual([]);
    set.clear();
    expect(set.list()).toEqual([]);
  });

  it('renames text between tags only, never inside attributes (replaceText)', () => {
    const set = new FaultSet();
    set.replace(parseFaults([{ replaceText: 'Renew', with: 'Renew now', count: 1 }]));
    const page = '<a href="/renew" aria-label="Renew" data-testid="renew">Renew</a><p>Renews on May 1</p>';
    const sent: string[] = [];
    const res = {
      headersSent: false,
      writeHead: () => res,
      end: (body: string) => sent.push(body),
    } as unknown as ServerResponse;
    sendHtml(res, 200, page, { removedTestIds: [], replacedTexts: set.replacedTexts() });
    expect(sent).toEqual([
      '<a href="/renew" aria-label="Renew" data-testid="renew">Renew now</a><p>Renew nows on May 1</p>',
    ]);
    expect(set.replacedTexts()).toEqual([]); // count: 1, spent
    expect(() => parseFaults([{ replaceText: '', with: 'x' }])).toThrow(/faults\[0\]\.replaceText/);
    expect(() => parseFaults([{ replaceText: 'a' }])).toThrow(/faults\[0\]\.with/);
  });
});
