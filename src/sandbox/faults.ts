import type { FaultSpec, HttpFaultSpec, PaymentFault } from './fault-schema.js';

/** What a request is, for matching faults: its flow step names and its path. */
export interface RequestNames {
  /** The flow step this request belongs to (see FLOW_STEPS), e.g. `checkout`. */
  readonly step: string;
  /** The flow it serves when that differs from the step, e.g. `extra_seats` for its confirm. */
  readonly flow?: string;
  readonly path: string;
}

/** The combined effect of the HTTP faults that fired on one request. */
export interface HttpEffect {
  readonly latencyMs: number;
  readonly status?: number;
  readonly hang: boolean;
}

interface Active {
  readonly spec: FaultSpec;
  remaining: number | undefined;
}

function matches(spec: HttpFaultSpec, names: RequestNames): boolean {
  const m = spec.match;
  if (m === '*') return true;
  if (m === names.step || m === names.flow) return true;
  return m.startsWith('/') && names.path.startsWith(m);
}

/**
 * The active fault set. Every query "fires" the faults it returns: a probability roll,
 * then the count goes down and an exhausted fault leaves the set.
 */
export class FaultSet {
  #active: Active[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  replace(specs: readonly FaultSpec[]): void {
    this.#active = specs.map((spec) => ({ spec, remaining: spec.count }));
  }

  clear(): void {
    this.#active = [];
  }

  /** The set as `GET /__sandbox/faults` shows it: each fault, plus `remaining` when counted. */
  list(): (FaultSpec & { remaining?: number })[] {
    return this.#active.map((a) =>
      a.remaining === undefined ? { ...a.spec } : { ...a.spec, remaining: a.remaining },
    );
  }

  #fire(active: Active): boolean {
    if (this.random() >= (active.spec.probability ?? 1)) return false;
    if (active.remaining !== undefined) {
      active.remaining -= 1;
      if (active.remaining <= 0) this.#active = this.#active.filter((a) => a !== active);
    }
    return true;
  }

  #first<T extends FaultSpec>(guard: (spec: FaultSpec) => spec is T): T | undefined {
    for (const active of [...this.#active]) {
      if (guard(active.spec) && this.#fire(active)) return active.spec;
    }
    return undefined;
  }

  /** Latency adds up, any hang hangs, the first status wins. */
  http(names: RequestNames): HttpEffect | undefined {
    let fired = false;
    let latencyMs = 0;
    let status: number | undefined;
    let hang = false;
    for (const active of [...this.#active]) {
      const spec = active.spec;
      if (!('match' in spec) || !matches(spec, names) || !this.#fire(active)) continue;
      fired = true;
      latencyMs += spec.latencyMs ?? 0;
      status ??= spec.status;
      hang ||= spec.hang === true;
    }
    if (!fired) return undefined;
    return status === undefined ? { latencyMs, hang } : { latencyMs, hang, status };
  }

  /** The first active payment fault among `kinds`, fired. */
  payment(kinds: readonly PaymentFault[]): PaymentFault | undefined {
    return this.#first(
      (s): s is Extract<FaultSpec, { payment: PaymentFault }> => 'payment' in s && kinds.includes(s.payment),
    )?.payment;
  }

  /** Test ids to strip from one HTML response. */
  removedTestIds(): string[] {
    const ids: string[] = [];
    for (const active of [...this.#active]) {
      if ('removeTestId' in active.spec && this.#fire(active)) ids.push(active.spec.removeTestId);
    }
    return ids;
  }

  pricePreviewFails(): boolean {
    return (
      this.#first((s): s is Extract<FaultSpec, { pricePreview: 'fail' }> => 'pricePreview' in s) !== undefined
    );
  }

  pricingWrong(): boolean {
    return this.#first((s): s is Extract<FaultSpec, { pricing: 'wrong' }> => 'pricing' in s) !== undefined;
  }

  /** An overriding provisioning delay for the next order, if one is set. */
  provisioningDelayMs(): number | undefined {
    return this.#first(
      (s): s is Extract<FaultSpec, { provisioningDelayMs: number }> => 'provisioningDelayMs' in s,
    )?.provisioningDelayMs;
  }
}

/**
 * Flow-step names: what a fault's `match` can name besides a path prefix, and what
 * `GET /__sandbox/requests` reports. Documented in docs/sandbox.md.
 */
export const FLOW_STEPS = [
  'sign_in',
  'subscriptions',
  'cancel',
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

export type Origin = 'portal' | 'payment' | 'gitlab';

const API_FLOWS: Readonly<Record<string, string>> = {
  new: 'checkout',
  extra_seats: 'extra_seats',
  renewal: 'renew',
};

function portalStep(path: string): { step: FlowStep; flow?: string } {
  if (path.startsWith('/__sandbox/') || path === '/__sandbox') return { step: 'control' };
  if (path.startsWith('/customers/') || path.startsWith('/auth/')) return { step: 'sign_in' };
  if (path === '/subscriptions/new') return { step: 'checkout' };
  if (/^\/subscriptions\/[^/]+\/cancel$/.test(path)) return { step: 'cancel', flow: 'subscriptions' };
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
  return { step: 'other' };
}

function gitlabStep(path: string): { step: FlowStep; flow?: string } {
  if (path.startsWith('/users/') || path.startsWith('/oauth/'))
    return { step: 'sign_in', flow: 'gitlab_sign_in' };
  if (/^\/groups\/[^/]+\/-\/billings$/.test(path)) return { step: 'billing' };
  return { step: 'other' };
}

/** The names a request answers to: every request of the payment origin is step `payment`. */
export function namesOf(origin: Origin, path: string): RequestNames & { step: FlowStep } {
  if (origin === 'payment') return { step: 'payment', path };
  return { ...(origin === 'gitlab' ? gitlabStep(path) : portalStep(path)), path };
}
