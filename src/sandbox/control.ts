import { z } from 'zod';
import { FRESH_STATES } from './accounts.js';
import type { SandboxApp } from './app.js';
import { FaultInputError, parseFaults } from './fault-schema.js';
import { FLOW_STEPS } from './faults.js';
import { HttpError, parseWith, readJson, sendJson, type Router } from './http.js';
import { checkCardLimit, checkSessionTtl, SandboxOptionsError } from './options.js';
import type { RequestLog } from './request-log.js';

const accountSchema = z.strictObject({ state: z.enum(FRESH_STATES), twoFactor: z.boolean().optional() });
const expireSchema = z.strictObject({
  username: z.string().min(1).max(200),
  origin: z.enum(['portal', 'gitlab']).optional(),
});
const settingsSchema = z.strictObject({
  sessionTtlMs: z.number().optional(),
  cardLimit: z.strictObject({ perMinute: z.number(), perHour: z.number() }).optional(),
});

function limitOf(url: URL, max: number): number | undefined {
  const raw = url.searchParams.get('limit');
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new HttpError(400, `limit must be a whole number from 1 to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** The control API under /__sandbox/ (DESIGN.md "Sandbox"): never subject to faults. */
export function controlRoutes(router: Router, app: SandboxApp, requests: RequestLog): void {
  router.add('GET', '/__sandbox', (ctx) => {
    sendJson(ctx.res, 200, {
      routes: [
        'POST /__sandbox/reset',
        'POST /__sandbox/accounts {"state":"none"|"active"|"renewable"|"reseller"|"multi_year","twoFactor"?:true}',
        'POST /__sandbox/sessions/expire {"username":U,"origin"?:"portal"|"gitlab"}',
        'GET|PUT /__sandbox/settings {"sessionTtlMs"?:N,"cardLimit"?:{"perMinute":N,"perHour":N}}',
        'GET|PUT|DELETE /__sandbox/faults',
        'GET|DELETE /__sandbox/requests?limit=&synthetic=&step=&origin=',
      ],
      steps: FLOW_STEPS,
      paymentUrl: app.urls.payment,
      gitlabUrl: app.urls.gitlab,
    });
  });

  router.add('POST', '/__sandbox/reset', (ctx) => {
    app.reset();
    sendJson(ctx.res, 200, { ok: true });
  });

  router.add('POST', '/__sandbox/accounts', async (ctx) => {
    const { state, twoFactor } = parseWith(accountSchema, await readJson(ctx.req), 400);
    sendJson(ctx.res, 201, app.newAccount({ state, ...(twoFactor === undefined ? {} : { twoFactor }) }));
  });

  router.add('POST', '/__sandbox/sessions/expire', async (ctx) => {
    const { username, origin } = parseWith(expireSchema, await readJson(ctx.req), 400);
    const account = app.store.findAccountByLogin(username);
    if (account === undefined) throw new HttpError(404, `no account "${username}"`);
    sendJson(ctx.res, 200, { expired: app.store.expireSessions(account.id, origin) });
  });

  router.add('GET', '/__sandbox/settings', (ctx) => {
    sendJson(ctx.res, 200, app.settings);
  });

  router.add('PUT', '/__sandbox/settings', async (ctx) => {
    const input = parseWith(settingsSchema, await readJson(ctx.req), 400);
    try {
      const ttl = input.sessionTtlMs === undefined ? undefined : checkSessionTtl(input.sessionTtlMs);
      const limit = input.cardLimit === undefined ? undefined : checkCardLimit(input.cardLimit, 'cardLimit');
      if (ttl !== undefined) app.settings.sessionTtlMs = ttl;
      if (limit !== undefined) app.setCardLimit(limit);
    } catch (error) {
      if (error instanceof SandboxOptionsError)
        throw new HttpError(400, error.message.replace('sandbox option ', ''));
      throw error;
    }
    sendJson(ctx.res, 200, app.settings);
  });

  router.add('GET', '/__sandbox/faults', (ctx) => {
    sendJson(ctx.res, 200, { faults: app.faults.list() });
  });

  router.add('PUT', '/__sandbox/faults', async (ctx) => {
    const body = await readJson(ctx.req);
    try {
      app.faults.replace(parseFaults(body));
    } catch (error) {
      if (error instanceof FaultInputError) throw new HttpError(400, error.message);
      throw error;
    }
    app.config.log?.info({ faults: app.faults.list() }, 'sandbox faults set');
    sendJson(ctx.res, 200, { faults: app.faults.list() });
  });

  router.add('DELETE', '/__sandbox/faults', (ctx) => {
    app.faults.clear();
    sendJson(ctx.res, 200, { faults: [] });
  });

  router.add('GET', '/__sandbox/requests', (ctx) => {
    const limit = limitOf(ctx.url, requests.capacity);
    const synthetic = ctx.url.searchParams.get('synthetic') ?? undefined;
    const step = ctx.url.searchParams.get('step') ?? undefined;
    const origin = ctx.url.searchParams.get('origin') ?? undefined;
    sendJson(ctx.res, 200, {
      requests: requests.list({
        ...(origin === undefined ? {} : { origin }),
        ...(limit === undefined ? {} : { limit }),
        ...(synthetic === undefined ? {} : { synthetic }),
        ...(step === undefined ? {} : { step }),
      }),
    });
  });

  router.add('DELETE', '/__sandbox/requests', (ctx) => {
    requests.clear();
    sendJson(ctx.res, 200, { requests: [] });
  });
}
