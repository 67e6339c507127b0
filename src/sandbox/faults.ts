import { z } from 'zod';

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

  /** Texts to replace in one HTML response (the replaceText fault), each `[from, to]`. */
  replacedTexts(): [string, string][] {
    const pairs: [string, string][] = [];
    for (const active of [...this.#active]) {
      if ('replaceText' in active.spec && this.#fire(active))
        pairs.push([active.spec.replaceText, active.spec.with]);
    }
    return pairs;
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

/** Payment provider failures the sandbox can imitate. */
export const PAYMENT_FAULTS = [
  'decline',
  'insufficient_funds',
  '3ds_required',
  'form_down',
  'lock_contention',
  'rate_limit',
] as const;
export type PaymentFault = (typeof PAYMENT_FAULTS)[number];

/** A bad fault set given to `PUT /__sandbox/faults`. */
export class FaultInputError extends Error {
  override readonly name = 'FaultInputError';
}

const common = {
  /** Chance that the fault fires on each eligible request, 0..1 (default 1). */
  probability: z.number().min(0).max(1).optional(),
  /** Fires this many times, then expires. */
  count: z.number().int().min(1).max(1_000_000).optional(),
};

const httpFault = z
  .strictObject({
    match: z.string().min(1).max(200),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    status: z.number().int().min(400).max(599).optional(),
    hang: z.boolean().optional(),
    ...common,
  })
  .refine((f) => f.latencyMs !== undefined || f.status !== undefined || f.hang === true, {
    message: 'a "match" fault needs at least one of latencyMs, status or hang: true',
  });

const SPECIAL = {
  payment: z.strictObject({ payment: z.enum(PAYMENT_FAULTS), ...common }),
  removeTestId: z.strictObject({ removeTestId: z.string().regex(/^[\w-]{1,100}$/), ...common }),
  replaceText: z.strictObject({
    replaceText: z.string().min(1).max(200),
    with: z.string().max(200),
    ...common,
  }),
  pricePreview: z.strictObject({ pricePreview: z.literal('fail'), ...common }),
  pricing: z.strictObject({ pricing: z.literal('wrong'), ...common }),
  provisioningDelayMs: z.strictObject({
    provisioningDelayMs: z.number().int().min(0).max(600_000),
    ...common,
  }),
} as const;

export type HttpFaultSpec = z.infer<typeof httpFault>;
export type FaultSpec =
  | HttpFaultSpec
  | z.infer<(typeof SPECIAL)['payment']>
  | z.infer<(typeof SPECIAL)['removeTestId']>
  | z.infer<(typeof SPECIAL)['replaceText']>
  | z.infer<(typeof SPECIAL)['pricePreview']>
  | z.infer<(typeof SPECIAL)['pricing']>
  | z.infer<(typeof SPECIAL)['provisioningDelayMs']>;

const SPECIAL_KINDS = Object.keys(SPECIAL) as (keyof typeof SPECIAL)[];
const KINDS = ['match', ...SPECIAL_KINDS] as const;
const MAX_FAULTS = 100;

function describe(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${where}: invalid`;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${where}${path}: ${issue.message}`;
}

function parseOne(raw: unknown, where: string): FaultSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FaultInputError(`${where}: a fault must be a JSON object`);
  }
  const present = KINDS.filter((k) => k in raw);
  if (present.length !== 1) {
    const found = present.length === 0 ? 'none' : present.join(', ');
    throw new FaultInputError(`${where}: a fault has exactly one of ${KINDS.join(', ')} (found ${found})`);
  }
  const kind = present[0] as (typeof KINDS)[number];
  const schema = kind === 'match' ? httpFault : SPECIAL[kind];
  const result = schema.safeParse(raw);
  if (!result.success) throw new FaultInputError(describe(where, result.error));
  return result.data;
}

/** Parses a fault set: an array of faults or `{"faults": [...]}`. Throws FaultInputError. */
export function parseFaults(body: unknown): FaultSpec[] {
  let list: unknown = body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const keys = Object.keys(body);
    if (keys.length !== 1 || keys[0] !== 'faults') {
      throw new FaultInputError('body must be an array of faults or {"faults": [...]}');
    }
    list = (body as { faults: unknown }).faults;
  }
  if (!Array.isArray(list)) throw new FaultInputError('faults must be an array');
  if (list.length > MAX_FAULTS) throw new FaultInputError(`at most ${MAX_FAULTS} faults, got ${list.length}`);
  return list.map((raw, i) => parseOne(raw, `faults[${i}]`));
}
