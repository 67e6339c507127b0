#!/usr/bin/env node
// The installed command: TypeScript sources and journey files load without a build step.
import { register as registerModuleHooks } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
registerModuleHooks('../src/journey/resolve-hooks.js', import.meta.url);
globalThis[Symbol.for('journey-prober.module-hooks')] = true;
const { start } = await import('../src/cli.ts');
await start(process.argv.slice(2));
