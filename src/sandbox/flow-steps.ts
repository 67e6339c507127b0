import type { RequestNames } from './faults.js';

/**
 * Flow-step names: what a fault's `match` can name besides a path prefix, and what
 * `GET /__sandbox/requests` reports. Documented in docs/sandbox.md.
 */
export const FLOW_STEPS = [
  'sign_in',
  'subscriptions',
  'checkout',
  'price_preview',
  'payment',
  'confirm',
  'extra_seats',
  'renew',
  'billing',
  'invoices',
  'control',
  'other',
] as const;
export type FlowStep = (typeof FLOW_STEPS)[number];

const API_FLOWS: Readonly<Record<string, string>> = {
  new: 'checkout',
  extra_seats: 'extra_seats',
  renewal: 'renew',
};

function portalStep(path: string): { step: FlowStep; flow?: string } {
  if (path.startsWith('/__sandbox/') || path === '/__sandbox') return { step: 'control' };
  if (path.startsWith('/customers/')) return { step: 'sign_in' };
  if (path === '/subscriptions/new') return { step: 'checkout' };
  if (path === '/subscriptions' || path.startsWith('/subscriptions/')) return { step: 'subscriptions' };
  if (path === '/invoices') return { step: 'invoices' };
  if (path === '/api/payment_form') return { step: 'payment' };
  const api = /^\/api\/(price_preview|orders)\/(\w+)$/.exec(path);
  if (api) {
    const flow = API_FLOWS[api[2] ?? ''];
    const step = api[1] === 'orders' ? 'confirm' : 'price_preview';
    return flow === undefined ? { step } : { step, flow };
  }
  if (/^\/gitlab\/namespaces\/[^/]+\/extra_seats$/.test(path)) return { step: 'extra_seats' };
  if (/^\/gitlab\/namespaces\/[^/]+\/renew$/.test(path)) return { step: 'renew' };
  if (/^\/groups\/[^/]+\/-\/billings$/.test(path)) return { step: 'billing' };
  return { step: 'other' };
}

/** The names a request answers to: every request of the payment origin is step `payment`. */
export function namesOf(origin: 'portal' | 'payment', path: string): RequestNames & { step: FlowStep } {
  if (origin === 'payment') return { step: 'payment', path };
  return { ...portalStep(path), path };
}
