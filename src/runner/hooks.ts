import type { Logger } from 'pino';
import type { RunHooks } from './types.js';

type HookInfo<K extends keyof RunHooks> = Parameters<NonNullable<RunHooks[K]>>[0];

/** Calls one hook; a hook that throws is logged and ignored (hooks are for live output only). */
export function callHook<K extends keyof RunHooks>(
  hooks: RunHooks | undefined,
  name: K,
  info: HookInfo<K>,
  log: Logger,
): void {
  const hook = hooks?.[name] as ((arg: HookInfo<K>) => unknown) | undefined;
  if (!hook) return;
  try {
    const returned = hook.call(hooks, info);
    if (returned instanceof Promise) returned.catch(() => undefined);
  } catch (error) {
    log.debug(
      { hook: name, err: error instanceof Error ? error.message : String(error) },
      'run hook threw; ignored',
    );
  }
}
