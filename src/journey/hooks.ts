import { register as registerModuleHooks } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

/** Set once the hooks are in place, by this module or by the bin script before it. */
const FLAG = Symbol.for('journey-prober.module-hooks');

/**
 * Makes `import()` of a journey file work wherever the file lives: TypeScript without a
 * build step (tsx), `'journey-prober'` resolved to this installation's API, and journey
 * files treated as ES modules. Idempotent.
 */
export function ensureJourneyLoading(): void {
  const global = globalThis as { [FLAG]?: boolean };
  if (global[FLAG] === true) return;
  registerTsx();
  registerModuleHooks('./resolve-hooks.js', import.meta.url);
  global[FLAG] = true;
}
