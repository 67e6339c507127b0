// `npm run bench [-- NAME... --quick]` (node --import tsx): see bench/README.md.
import { main } from './run.js';

process.exitCode = await main(process.argv.slice(2));
