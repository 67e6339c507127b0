import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { ADDRESS, call, fresh, paymentMethod, signIn, submitCard } from './http-client.js';

let sandbox: Sandbox;
let portal: string;

beforeAll(async () => {
  sandbox = await startSandbox({ provisioningDelayMs: 50 });
  portal = sandbox.portalUrl;
});

afterAll(async () => {
  await sandbox?.close();
});

describe('control API: bad input is a 4xx with a one-line JSON error', () => {
  it.each([
    ['POST', '/__sandbox/accounts', '{"state":', 400, /^malformed JSON/],
    ['POST', '/__sandbox/accounts', '', 400, /body must be JSON \(it is empty\)/],
    ['POST', '/__sandbox/accounts', { state: 'rich' }, 400, /^state: Invalid option/],
    ['POST', '/__sandbox/accounts', { state: 'none', extra: 1 }, 400, /Unrecognized key: "extra"/],
    [
      'PUT',
      '/__sandbox/faults',
      [{ match: 'checkout', latency: 5 }],
      400,
      /^faults\[0\]: Unrecognized key: "latency"$/,
    ],
    ['PUT', '/__sandbox/faults', { faults: [{ payment: 'stolen' }] }, 400, /^faults\[0\]\.payment/],
    ['PUT', '/__sandbox/faults', 'null', 400, /faults must be an array/],
    ['POST', '/__sandbox/faults', [], 405, /use GET or PUT or DELETE/],
    ['GET', '/__sandbox/requests?limit=abc', undefined, 400, /limit must be a whole number/],
    ['GET', '/__sandbox/nothing', undefined, 404, /Not found/],
    ['POST', '/__sandbox/accounts', JSON.stringify({ state: 'x'.repeat(70_000) }), 413, /over 65536 bytes/],
  ])('%s %s %j → %i', async (method, path, body, status, message) => {
    const reply = await call<{ error: string }>(`${portal}${path}`, { method, body });
    expect(reply.status).toBe(status);
    expect(reply.body.error).toMatch(message);
    expect(reply.body.error).not.toContain('\n');
  });

  it('a fault set is read back, replaced and cleared', async () => {
    const set = await call(`${portal}/__sandbox/faults`, {
      method: 'PUT',
      body: { faults: [{ pricing: 'wrong', count: 3 }] },
    });
    expect(set.body).toEqual({ faults: [{ pricing: 'wrong', count: 3, remaining: 3 }] });
    expect((await call(`${portal}/__sandbox/faults`)).body).toEqual(set.body);
    expect((await call(`${portal}/__sandbox/faults`, { method: 'DELETE' })).body).toEqual({ faults: [] });
  });
});

describe('portal API', () => {
  it('asks for sign-in: 401 JSON for the API, a redirect for pages', async () => {
    expect(
      (
        await call(`${portal}/api/price_preview/new`, {
          method: 'POST',
          body: { plan: 'premium', quantity: 1 },
        })
      ).status,
    ).toBe(401);
    const page = await call(`${portal}/gitlab/namespaces/1001/renew`);
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(
      '/customers/sign_in?return_to=%2Fgitlab%2Fnamespaces%2F1001%2Frenew',
    );
  });

  it('rejects bad order input with 422 naming the field', async () => {
    const account = await fresh(sandbox, 'none');
    const cookie = (await signIn(sandbox, account.email, account.password))!;
    const pm = await paymentMethod(sandbox, cookie);
    const base = {
      plan: 'premium',
      quantity: 3,
      namespaceId: account.groupId,
      address: ADDRESS,
      idempotencyKey: 'key-12345678',
      paymentMethodId: pm,
      termsAccepted: true,
    };
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { termsAccepted: false },
        /termsAccepted: You must accept the Privacy Statement and Terms of Service\./,
      ],
      [{ quantity: 2 }, /^Must be 3 \(your seats in use\) or more\.$/],
      [{ quantity: 'five' }, /^quantity: /],
      [{ address: { ...ADDRESS, state: '' } }, /address\.state: a state is required for US/],
      [{ address: { ...ADDRESS, country: 'XX' } }, /address\.country: unknown country "XX"/],
      [{ paymentMethodId: 'pm_nope' }, /payment method was not found/],
      [{ plan: 'gold' }, /^plan: /],
      [{ idempotencyKey: 'short' }, /^idempotencyKey: must be 8 to 100/],
    ];
    for (const [change, message] of cases) {
      const reply = await call<{ error: string }>(`${portal}/api/orders/new`, {
        method: 'POST',
        cookie,
        body: { ...base, ...change },
      });
      expect(reply.status, JSON.stringify(change)).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(reply.body.error).toMatch(message);
    }
    const card = await submitCard(sandbox, cookie, '1234');
    expect(card).toMatchObject({
      status: 422,
      body: { field: 'creditCardNumber', error: 'Card number is invalid.' },
    });
  });

  it('idempotency: concurrent submits with one key make one order; lock contention passes on retry', async () => {
    const account = await fresh(sandbox, 'none');
    const cookie = (await signIn(sandbox, account.email, account.password))!;
    await call(`${portal}/__sandbox/faults`, {
      method: 'PUT',
      body: [{ payment: 'lock_contention', count: 1 }],
    });
    const body = {
      plan: 'premium',
      quantity: 3,
      namespaceId: account.groupId,
      address: ADDRESS,
      idempotencyKey: 'idem-0000001',
      paymentMethodId: await paymentMethod(sandbox, cookie),
      termsAccepted: true,
    };
    const first = await call<{ error: string }>(`${portal}/api/orders/new`, { method: 'POST', cookie, body });
    expect(first).toMatchObject({
      status: 409,
      body: { error: 'Operation failed due to a lock competition, please retry later.' },
    });
    const replies = await Promise.all(
      [1, 2, 3].map(() =>
        call<{ orderId: string; replayed: boolean }>(`${portal}/api/orders/new`, {
          method: 'POST',
          cookie,
          body,
        }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.orderId)).size).toBe(1);
    const invoices = await call<string>(`${portal}/invoices`, { cookie });
    expect(invoices.body.match(/data-testid="invoice-row-/g)).toHaveLength(1);
  });

  it('provisions after the delay; the provisioningDelayMs fault holds the group on Free', async () => {
    const billing = async (provisioningDelayMs?: number): Promise<() => Promise<string>> => {
      const account = await fresh(sandbox, 'none');
      const cookie = (await signIn(sandbox, account.email, account.password))!;
      const faults = provisioningDelayMs === undefined ? [] : [{ provisioningDelayMs }];
      await call(`${portal}/__sandbox/faults`, { method: 'PUT', body: faults });
      const order = await call<{ redirect: string }>(`${portal}/api/orders/new`, {
        method: 'POST',
        cookie,
        body: {
          plan: 'ultimate',
          quantity: 3,
          namespaceId: account.groupId,
          address: ADDRESS,
          idempotencyKey: `prov-${account.groupId}`,
          paymentMethodId: await paymentMethod(sandbox, cookie),
          termsAccepted: true,
        },
      });
      expect(order.status).toBe(201);
      expect(order.body.redirect).toBe(`${sandbox.gitlabUrl}/groups/${account.groupPath}/-/billings`);
      return async () => (await call<string>(order.body.redirect, { cookie })).body;
    };
    const slow = await billing(600_000);
    const fast = await billing();
    let text = '';
    for (let i = 0; i < 100 && !text.includes('Ultimate SaaS Plan'); i += 1) {
      text = await fast();
      if (!text.includes('Ultimate SaaS Plan')) await new Promise((r) => setTimeout(r, 50));
    }
    expect(text).toMatch(/Team \w+ is currently using the Ultimate SaaS Plan/);
    expect(await slow()).toMatch(/Team \w+ is currently using the Free Plan/);
  });

  it('CORS on the payment origin allows the portal and the synthetic header', async () => {
    const reply = await call(`${sandbox.paymentUrl}/hpm/submit`, {
      method: 'OPTIONS',
      headers: { origin: portal },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe(portal);
    expect(reply.headers.get('access-control-allow-headers')).toContain('x-synthetic-journey');
    const other = await call(`${sandbox.paymentUrl}/hpm/submit`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.test' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
