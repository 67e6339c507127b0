import type { BrowserContext } from '@playwright/test';
import type { Logger } from 'pino';
import { PSEUDO_STEPS } from '../journey/outcomes.js';
import type { Journey, StorageState } from '../journey/types.js';
import type { AttemptState } from './attempt-state.js';
import type { BrowserPool } from './browser.js';
import { errorText, toMessage } from './sanitize.js';
import { bestEffort, raceAbort } from './timing.js';

const CONTEXT_CLOSE_TIMEOUT_MS = 5_000;

/** Bounds every browser action and navigation of the context by `ms`. */
export function setActionTimeout(context: BrowserContext | undefined, ms: number): void {
  context?.setDefaultTimeout(ms);
  context?.setDefaultNavigationTimeout(ms);
}

/** Closes a context, bounded: a wedged browser must not hold the run. */
export async function closeContext(context: BrowserContext): Promise<void> {
  await bestEffort(() => context.close(), CONTEXT_CLOSE_TIMEOUT_MS);
}

/**
 * A fresh context for one attempt, tagged with the `X-Synthetic-Journey` header so the
 * target can tell probe traffic apart. Failure to open one ends the attempt as `browser`.
 */
export async function openContext(
  pool: BrowserPool,
  journey: Journey,
  runId: string,
  state: AttemptState,
  log: Logger,
  session: { readonly userAgent?: string; readonly storageState?: StorageState } = {},
): Promise<BrowserContext | undefined> {
  const pending = pool.newContext({
    extraHTTPHeaders: { 'X-Synthetic-Journey': `${journey.name}/${runId}` },
    viewport: { width: 1280, height: 800 },
    ignoreHTTPSErrors: false,
    // The target's User-Agent (GitLab.com allow-lists its QA's) and the account's kept session.
    ...(session.userAgent === undefined ? {} : { userAgent: session.userAgent }),
    ...(session.storageState === undefined ? {} : { storageState: session.storageState }),
  });
  try {
    const context = await raceAbort(pending, state.signal);
    setActionTimeout(context, journey.stepTimeoutMs);
    return context;
  } catch (error) {
    // The attempt ended while the context was opening: close it when it arrives.
    pending.then(closeContext).catch(() => undefined);
    const message = toMessage(`could not open a browser context: ${errorText(error)}`);
    state.end(
      { step: PSEUDO_STEPS.journey, class: 'browser', message },
      new Error(message, { cause: error }),
    );
    log.warn({ err: message }, 'no browser context');
    return undefined;
  }
}

/** `ctx.annotate()`: a non-empty key and a string, number or boolean value; anything else is logged and dropped. */
export function annotate(
  to: Record<string, string | number | boolean>,
  key: unknown,
  value: unknown,
  log: Logger,
): void {
  const ok = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  if (typeof key !== 'string' || key === '' || !ok) {
    log.warn(
      { key: String(key) },
      'annotate(key, value) needs a non-empty key and a string, number or boolean',
    );
    return;
  }
  to[key] = value;
}
