import { createHash } from 'node:crypto';
import { UsageError } from '../config/errors.js';
import type { ScheduleEntry } from './types.js';

/**
 * Replica `index` of `count` (DESIGN.md "Replicas"): `serve` scaled out as a StatefulSet
 * runs only the schedules whose account hashes to it.
 */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** A bad PROBER_SHARD, or a pod ordinal without a replica count: a usage error (exit 2). */
export class ShardError extends UsageError {
  override readonly name = 'ShardError';
}

const SHARD = /^(\d{1,4})\/(\d{1,4})$/;
const ORDINAL = /-(\d{1,4})$/;

function replicaCount(value: string, name: string): number {
  const count = /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(count >= 1)) throw new ShardError(`${name}="${value}" is not a replica count (a whole number >= 1)`);
  return count;
}

/**
 * This replica's shard: `PROBER_SHARD=i/N`, else the StatefulSet pod ordinal (the number
 * ending `HOSTNAME`, e.g. `journey-prober-2`) of `PROBER_SHARDS=N` replicas; neither set:
 * undefined, one replica running everything.
 */
export function shardFromEnv(env: NodeJS.ProcessEnv): Shard | undefined {
  const explicit = env.PROBER_SHARD;
  if (explicit !== undefined && explicit !== '') {
    const match = SHARD.exec(explicit.trim());
    if (match === null) throw new ShardError(`PROBER_SHARD="${explicit}" is not i/N (e.g. 0/3)`);
    const index = Number(match[1]);
    const count = Number(match[2]);
    if (count < 1 || index >= count)
      throw new ShardError(
        `PROBER_SHARD="${explicit}": replica ${index} of ${count} does not exist (0 <= i < N)`,
      );
    return { index, count };
  }
  const shards = env.PROBER_SHARDS;
  if (shards === undefined || shards === '') return undefined;
  const count = replicaCount(shards, 'PROBER_SHARDS');
  const ordinal = ORDINAL.exec(env.HOSTNAME ?? '');
  if (ordinal === null) {
    throw new ShardError(
      `PROBER_SHARDS=${count} needs the pod ordinal at the end of HOSTNAME (e.g. journey-prober-0), got "${env.HOSTNAME ?? ''}"; or set PROBER_SHARD=i/N`,
    );
  }
  const index = Number(ordinal[1]);
  if (index >= count)
    throw new ShardError(`HOSTNAME "${env.HOSTNAME ?? ''}" is replica ${index}, but PROBER_SHARDS=${count}`);
  return { index, count };
}

/** `i/N`, as /readyz, the status page and journey_prober_shard_info say it. */
export function shardLabel(shard: Shard | undefined): string {
  return shard === undefined ? '0/1' : `${shard.index}/${shard.count}`;
}

/**
 * What a schedule hashes on: its account, so every schedule sharing an account lands in
 * one replica (runs on one account never overlap, across replicas too); a schedule
 * without an account hashes on journey x target.
 */
export function shardKey(entry: Pick<ScheduleEntry, 'accountKey' | 'id'>): string {
  return entry.accountKey === undefined ? `schedule:${entry.id}` : `account:${entry.accountKey}`;
}

function weight(key: string, replica: number): bigint {
  return createHash('sha256').update(`${replica}\0${key}`).digest().readBigUInt64BE(0);
}

/**
 * The replica owning `key` among `count`: rendezvous (highest random weight) hashing. Going
 * from N to N+1 replicas moves only the keys the new replica wins, about 1/(N+1) of them,
 * and none between the old replicas.
 */
export function ownerOf(key: string, count: number): number {
  let best = 0;
  let bestWeight = -1n;
  for (let replica = 0; replica < count; replica++) {
    const w = weight(key, replica);
    if (w > bestWeight) {
      best = replica;
      bestWeight = w;
    }
  }
  return best;
}

/** The entries this replica runs: all of them without a shard. */
export function entriesOfShard<E extends Pick<ScheduleEntry, 'accountKey' | 'id'>>(
  entries: readonly E[],
  shard: Shard | undefined,
): E[] {
  if (shard === undefined || shard.count === 1) return [...entries];
  return entries.filter((e) => ownerOf(shardKey(e), shard.count) === shard.index);
}
