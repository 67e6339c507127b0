import { Cron } from 'croner';
import cron from 'node-cron';
import { z } from 'zod';

/** Why a cron expression cannot be scheduled, naming the field and value (croner says which). */
export function cronProblem(value: string): string | undefined {
  const fields = value.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6)
    return `${fields} fields, need 5 (minute hour day month weekday) or 6 (seconds first)`;
  try {
    new Cron(value, { paused: true });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return why.replace(/^CronPattern:\s*/, '').replace(/^./, (c) => c.toLowerCase());
  }
  return cron.validate(value) ? undefined : 'not accepted by the scheduler';
}

export const cronExpression = z.string().superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem !== undefined)
    ctx.addIssue({ code: 'custom', message: `is not a valid cron expression: ${problem}` });
});

export const timeZone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'is not a known IANA time zone' },
);
