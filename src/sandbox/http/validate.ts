import type { z } from 'zod';
import { HttpError } from './errors.js';

/** Parses `body` with `schema`, or throws HttpError(status) naming the first problem. */
export function parseWith<S extends z.ZodType>(schema: S, body: unknown, status = 422): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new HttpError(status, 'invalid request body');
  const path = issue.path.map(String).join('.');
  throw new HttpError(status, path === '' ? issue.message : `${path}: ${issue.message}`);
}
