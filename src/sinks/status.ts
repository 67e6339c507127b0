import type { Logger } from 'pino';
import { sweepLogged, type ArtifactRetention } from '../artifacts/retention.js';
import type { ResultSink } from './sink.js';

/**
 * The status page's side of a finished run (cloudprober's `probestatus` surfacer): the
 * evidence its pages link to is kept within the artifacts retention, swept after every
 * run. The runs the pages list are the results sink's in-memory history, so this sink
 * comes after it. A sweep that fails is logged, never thrown: keeping evidence must not
 * stop probing.
 */
export function statusSink(retention: ArtifactRetention, log: Logger): ResultSink {
  return {
    name: 'status page',
    onResult: () => sweepLogged(retention, log),
  };
}
