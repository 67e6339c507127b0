import type { Registry, RegistryContentType } from 'prom-client';
import { renderMetrics } from '../metrics/render.js';
import { sendText, type Route } from './router.js';

/** Whether serve is ready for traffic: a reason when it is not. */
export type Readiness = () =>
  { readonly ready: true; readonly detail?: string } | { readonly ready: false; readonly reason: string };

/** `/metrics` (Prometheus text, or OpenMetrics with exemplars when `Accept` asks), `/healthz`, `/readyz`. */
export function coreRoutes(registry: Registry<RegistryContentType>, readiness: Readiness): Route[] {
  return [
    {
      method: 'GET',
      path: '/metrics',
      handler: async ({ req }, res) => {
        const { contentType, body } = await renderMetrics(registry, req.headers.accept);
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(body);
      },
    },
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendText(res, 200, 'ok') },
    {
      method: 'GET',
      path: '/readyz',
      handler: (_req, res) => {
        const state = readiness();
        // `ready`, or `ready (shard 1/3)` for a replica of a scaled-out serve.
        if (state.ready) sendText(res, 200, state.detail === undefined ? 'ready' : `ready (${state.detail})`);
        else sendText(res, 503, `not ready: ${state.reason}`);
      },
    },
  ];
}
