#!/usr/bin/env node
// `npm run rules`: the rule generator. It runs the compiled JavaScript (dist/rules/, built
// with the rest of src/ by `npm run build`), so an installed package needs no dev
// dependency; in a checkout without a build it runs the TypeScript source through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/rules/generate.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/rules/generate.ts', import.meta.url).href);
}
