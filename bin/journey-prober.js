#!/usr/bin/env node
// The installed command. It runs the compiled JavaScript in dist/ (`npm run build`, run by
// `npm ci` and `npm pack`); only journey files are loaded as TypeScript, when a command needs them.
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  process.stderr.write('journey-prober: dist/ is missing: run `npm run build` in the checkout first\n');
  process.exit(3);
}
await cli.start(process.argv.slice(2));
