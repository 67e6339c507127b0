import { register as registerModuleHooks } from 'node:module';

/** Set once the hooks are in place. */
const FLAG = Symbol.for('journey-prober.module-hooks');
const TSX = Symbol.for('journey-prober.tsx');

/**
 * The public API a journey file's `import … from 'journey-prober'` gets: this installation's,
 * compiled (dist/index.js) or, run from the sources, src/index.ts.
 */
const INDEX = new URL(import.meta.url.endsWith('.ts') ? '../index.ts' : '../index.js', import.meta.url).href;

/**
 * Makes `import()` of a journey file work wherever the file lives: TypeScript without a
 * build step (tsx, loaded only now: the commands that load no journey never pay for it),
 * `'journey-prober'` resolved to this installation's API, journey files treated as ES
 * modules, and only regular files read. Idempotent.
 */
export async function ensureJourneyLoading(): Promise<void> {
  const global = globalThis as { [FLAG]?: boolean };
  if (global[FLAG] === true) return;
  global[FLAG] = true;
  // A journey worker started from the sources has tsx registered already (src/runner/isolation.ts).
  if ((globalThis as { [TSX]?: boolean })[TSX] !== true) {
    const { register: registerTsx } = await import('tsx/esm/api');
    registerTsx();
  }
  registerModuleHooks('./resolve-hooks.js', { parentURL: import.meta.url, data: { index: INDEX } });
}
