import { z } from 'zod';

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
