// Module resolution hooks: a journey file anywhere on disk (a mounted directory in a
// container, a laptop checkout) imports 'journey-prober' and gets this installation's API.
const INDEX = new URL('../index.ts', import.meta.url).href;

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, next) {
  if (specifier === 'journey-prober') return { url: INDEX, format: 'module', shortCircuit: true };
  return next(specifier, context);
}

/**
 * Journey files are ES modules wherever they live, even in a directory with no
 * package.json saying so (tsx would otherwise load them as CommonJS).
 * @type {import('node:module').LoadHook}
 */
export async function load(url, context, next) {
  if (/\.journey\.ts$/.test(url) || /\/pages\/[^/]+\.ts$/.test(url)) {
    return next(url, { ...context, format: 'module' });
  }
  return next(url, context);
}
