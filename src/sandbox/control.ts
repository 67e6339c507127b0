import { z } from 'zod';
import { FRESH_STATES } from './accounts.js';
import type { SandboxApp } from './app.js';
import { FaultInputError, parseFaults } from './fault-schema.js';
import { FLOW_STEPS } from './flow-steps.js';
import { HttpError } from './http/errors.js';
import { readJson } from './http/request.js';
import { sendJson } from './http/respond.js';
import type { Router } from './http/router.js';
import { parseWith } from './http/validate.js';
import type { RequestLog } from './request-log.js';

const accountSchema = z.strictObject({ state: z.enum(FRESH_STATES) });

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
        'POST /__sandbox/accounts {"state":"none"|"active"|"renewable"|"reseller"|"multi_year"}',
        'GET|PUT|DELETE /__sandbox/faults',
        'GET|DELETE /__sandbox/requests?limit=&synthetic=&step=',
      ],
      steps: FLOW_STEPS,
      paymentUrl: app.urls.payment,
    });
  });

  router.add('POST', '/__sandbox/reset', (ctx) => {
    app.reset();
    sendJson(ctx.res, 200, { ok: true });
  });

  router.add('POST', '/__sandbox/accounts', async (ctx) => {
    const { state } = parseWith(accountSchema, await readJson(ctx.req), 400);
    sendJson(ctx.res, 201, app.newAccount(state));
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
    sendJson(ctx.res, 200, {
      requests: requests.list({
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
