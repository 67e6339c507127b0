// A journey worker started from the TypeScript sources (tests, `tsx src/cli.ts`): tsx first,
// then the worker itself. From dist/ the worker's compiled entry starts directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
/** Tells ensureJourneyLoading (src/journey/hooks.ts) that tsx is in place already. */
globalThis[Symbol.for('journey-prober.tsx')] = true;
// eslint-disable-next-line @typescript-eslint/no-unsafe-member-access -- workerData is isolation-wire.ts's WorkerData
await import(String(workerData.entry));
