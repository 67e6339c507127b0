// Module hooks (node:module register, run on Node's loader thread): a journey file anywhere
// on disk (a mounted directory in a container, a laptop checkout, a project using the
// installed package) imports 'journey-prober' and gets this installation's API.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The public API's URL, given by hooks.ts: dist/index.js, or src/index.ts from the sources. */
let index = new URL('../index.js', import.meta.url).href;

/** @param {{ index?: string } | undefined} data */
export function initialize(data) {
  if (typeof data?.index === 'string') index = data.index;
}

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, next) {
  if (specifier === 'journey-prober') return { url: index, format: 'module', shortCircuit: true };
  return next(specifier, context);
}

/**
 * A journey's own modules (outside node_modules) must be regular files: a FIFO would block the loader.
 * @param {string} url
 */
function checkRegularFile(url) {
  if (!url.startsWith('file:') || url.includes('/node_modules/')) return;
  let info;
  try {
    info = statSync(fileURLToPath(url));
  } catch {
    return; // the next hook reports a missing file in its own words
  }
  if (!info.isFile()) throw new Error(`${fileURLToPath(url)}: not a regular file: refused`);
}

/**
 * Journey files are ES modules wherever they live, even in a directory with no
 * package.json saying so (tsx would otherwise load them as CommonJS).
 * @type {import('node:module').LoadHook}
 */
export async function load(url, context, next) {
  checkRegularFile(url);
  if (/\.journey\.ts$/.test(url) || /\/pages\/[^/]+\.ts$/.test(url)) {
    return next(url, { ...context, format: 'module' });
  }
  return next(url, context);
}
