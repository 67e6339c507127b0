/**
 * The helpers the serve tests used to define here now live in test/e2e/helpers (one
 * process harness, one serve harness); this module re-exports them for tests written
 * against the old path.
 */
export { freePort, poll, text } from '../helpers/http.js';
export { parseMetrics, promtoolCheck, sum, type Sample } from '../helpers/metrics.js';
export { aliveInGroup, BIN, chromiumGroupsOf, ProberProcess } from '../helpers/process.js';
export { workdir } from '../helpers/serve.js';
