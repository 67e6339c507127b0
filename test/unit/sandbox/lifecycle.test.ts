import { describe, expect, it } from 'vitest';
import { SandboxOptionsError, startSandbox } from '../../../src/sandbox/index.js';
import { call, fresh, signIn } from './http-client.js';

describe('startSandbox lifecycle', () => {
  it('close() releases hanging and delayed requests on every origin and closes the ports', async () => {
    const sandbox = await startSandbox({ seedDemoAccounts: false });
    await call(`${sandbox.portalUrl}/__sandbox/faults`, {
      method: 'PUT',
      body: [
        { match: 'sign_in', hang: true, count: 1 },
        { match: 'payment', latencyMs: 120_000, count: 1 },
      ],
    });
    const hanging = fetch(`${sandbox.portalUrl}/customers/sign_in`).then(
      () => 'answered',
      () => 'released',
    );
    const delayed = fetch(
      `${sandbox.paymentUrl}/hpm/page?parent=${encodeURIComponent(sandbox.portalUrl)}`,
    ).then(
      () => 'answered',
      () => 'released',
    );
    // Both faults have fired (count 1: they leave the set), so both requests are waiting inside.
    for (let i = 0; i < 200; i += 1) {
      const set = await call<{ faults: unknown[] }>(`${sandbox.portalUrl}/__sandbox/faults`);
      if (set.body.faults.length === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await call<{ faults: unknown[] }>(`${sandbox.portalUrl}/__sandbox/faults`)).body.faults).toEqual(
      [],
    );
    const started = performance.now();
    await sandbox.close();
    expect(await Promise.all([hanging, delayed])).toEqual(['released', 'released']);
    expect(performance.now() - started).toBeLessThan(5000);
    await expect(fetch(sandbox.portalUrl)).rejects.toThrow();
    await expect(fetch(sandbox.paymentUrl)).rejects.toThrow();
    await expect(fetch(sandbox.gitlabUrl)).rejects.toThrow();
  });

  it('reset restores the seed: demo accounts still sign in, fresh ones and faults are gone', async () => {
    const sandbox = await startSandbox();
    try {
      expect(sandbox.demoAccounts.map((a) => a.state)).toEqual([
        'none',
        'active',
        'renewable',
        'reseller',
        'multi_year',
        'active',
      ]);
      expect(sandbox.demoAccounts[5]?.otpSecret).toMatch(/^[A-Z2-7]{32}$/);
      const demo = sandbox.demoAccounts[1]!;
      const account = await fresh(sandbox, 'active');
      await call(`${sandbox.portalUrl}/__sandbox/faults`, { method: 'PUT', body: [{ pricing: 'wrong' }] });
      expect(await signIn(sandbox, account.email, account.password)).toBeDefined();
      expect((await call(`${sandbox.portalUrl}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
      expect(await signIn(sandbox, account.email, account.password)).toBeUndefined();
      expect(await signIn(sandbox, demo.email, demo.password)).toBeDefined();
      expect((await call(`${sandbox.portalUrl}/__sandbox/faults`)).body).toEqual({ faults: [] });
    } finally {
      await sandbox.close();
    }
  });

  it('keeps at most maxAccounts fresh accounts, dropping the oldest; passwords never reach the request log', async () => {
    const sandbox = await startSandbox({ maxAccounts: 2 });
    try {
      const [a, b, c] = [
        await fresh(sandbox, 'none'),
        await fresh(sandbox, 'active'),
        await fresh(sandbox, 'renewable'),
      ];
      expect(await signIn(sandbox, a.email, a.password)).toBeUndefined();
      expect(await signIn(sandbox, b.email, b.password)).toBeDefined();
      expect(await signIn(sandbox, c.email, c.password)).toBeDefined();
      expect(
        await signIn(sandbox, sandbox.demoAccounts[0]!.email, sandbox.demoAccounts[0]!.password),
      ).toBeDefined();
      expect(new Set([a.password, b.password, c.password]).size).toBe(3);
      const log = JSON.stringify((await call(`${sandbox.portalUrl}/__sandbox/requests`)).body);
      for (const secret of [a.password, b.password, c.password]) expect(log).not.toContain(secret);
    } finally {
      await sandbox.close();
    }
  });

  it.each([
    [{ port: -1 }, 'sandbox option port must be a whole number from 0 to 65535, got -1'],
    [{ provisioningDelayMs: 1.5 }, 'provisioningDelayMs'],
    [{ prices: { premium: 0 } }, 'prices.premium'],
    [{ prices: { gold: 5 } as never }, 'unknown plan "gold"'],
    [{ maxAccounts: 0 }, 'maxAccounts'],
    [{ host: '' }, 'host must be a non-empty string'],
  ])('rejects options %j', async (options, message) => {
    await expect(startSandbox(options)).rejects.toThrow(SandboxOptionsError);
    await expect(startSandbox(options)).rejects.toThrow(message);
  });

  it('names the address when a port is taken, and leaves nothing listening', async () => {
    const first = await startSandbox({ seedDemoAccounts: false });
    try {
      const port = Number(new URL(first.portalUrl).port);
      await expect(startSandbox({ paymentPort: port })).rejects.toThrow(
        `sandbox could not listen on 127.0.0.1:${port}`,
      );
    } finally {
      await first.close();
    }
  });
});
