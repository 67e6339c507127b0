import { z } from 'zod';
import { ATTEMPT_OUTCOMES, FAILURE_CLASSES, OUTCOMES, STEP_OUTCOMES } from '../journey/outcomes.js';
import type { RunResult } from '../journey/types.js';
import { TRACE_ID_PATTERN } from '../runner/trace-context.js';

const failure = z.object({ class: z.enum(FAILURE_CLASSES), message: z.string() });

/**
 * What a line of the results log must hold to be a run result. Loose on purpose: fields
 * a later version adds are kept, and only what readers rely on is checked.
 */
const runResultSchema = z.looseObject({
  runId: z.string().min(1),
  // Absent from lines written before runs had one; a malformed one is dropped, not the run.
  traceId: z.string().regex(TRACE_ID_PATTERN).optional().catch(undefined),
  journey: z.string().min(1),
  target: z.string().min(1),
  outcome: z.enum(OUTCOMES),
  startedAt: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO date'),
  durationMs: z.number().nonnegative(),
  attempts: z.number().int().nonnegative(),
  attemptOutcomes: z.array(z.enum(ATTEMPT_OUTCOMES)),
  steps: z.array(
    z.looseObject({
      name: z.string(),
      outcome: z.enum(STEP_OUTCOMES),
      durationMs: z.number().nonnegative(),
      failure: failure.optional(),
    }),
  ),
  failure: failure.extend({ step: z.string() }).optional(),
  safeMode: z.boolean(),
  cleanupFailures: z.number().int().nonnegative(),
  annotations: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

/** The run result a line holds, or undefined when it is not one (corrupted, truncated). */
export function parseResultLine(line: string): RunResult | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = runResultSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
