import { describe, expect, it } from 'vitest';
import {
  ShardError,
  entriesOfShard,
  ownerOf,
  shardFromEnv,
  shardKey,
  shardLabel,
} from '../../../src/scheduler/shard.js';

/** 6 journey x target pairs over 4 accounts, plus 2 pairs without an account. */
const ENTRIES = [
  { id: 'purchase@staging', accountKey: 'staging:email=a@example.com' },
  { id: 'renewal@staging', accountKey: 'staging:email=a@example.com' },
  { id: 'seat-change@staging', accountKey: 'staging:email=b@example.com' },
  { id: 'purchase@production', accountKey: 'production:email=c@example.com' },
  { id: 'renewal@production', accountKey: 'production:email=d@example.com' },
  { id: 'seat-change@production', accountKey: 'production:email=d@example.com' },
  { id: 'home@staging', accountKey: undefined },
  { id: 'home@production', accountKey: undefined },
];

describe('PROBER_SHARD and the pod ordinal', () => {
  it('reads i/N, or the ordinal ending HOSTNAME with PROBER_SHARDS', () => {
    expect(shardFromEnv({})).toBeUndefined();
    expect(shardFromEnv({ PROBER_SHARD: '1/3' })).toEqual({ index: 1, count: 3 });
    expect(shardFromEnv({ PROBER_SHARDS: '3', HOSTNAME: 'journey-prober-2' })).toEqual({
      index: 2,
      count: 3,
    });
    // PROBER_SHARD wins over the ordinal.
    expect(shardFromEnv({ PROBER_SHARD: '0/2', PROBER_SHARDS: '3', HOSTNAME: 'p-2' })).toEqual({
      index: 0,
      count: 2,
    });
    expect(shardLabel(undefined)).toBe('0/1');
    expect(shardLabel({ index: 2, count: 4 })).toBe('2/4');
  });

  it.each([
    [{ PROBER_SHARD: '3/3' }, 'PROBER_SHARD="3/3": replica 3 of 3 does not exist (0 <= i < N)'],
    [{ PROBER_SHARD: '0/0' }, 'PROBER_SHARD="0/0": replica 0 of 0 does not exist (0 <= i < N)'],
    [{ PROBER_SHARD: 'two' }, 'PROBER_SHARD="two" is not i/N (e.g. 0/3)'],
    [{ PROBER_SHARD: '-1/3' }, 'PROBER_SHARD="-1/3" is not i/N (e.g. 0/3)'],
    [
      { PROBER_SHARDS: 'x', HOSTNAME: 'p-0' },
      'PROBER_SHARDS="x" is not a replica count (a whole number >= 1)',
    ],
    [
      { PROBER_SHARDS: '3', HOSTNAME: 'laptop' },
      'PROBER_SHARDS=3 needs the pod ordinal at the end of HOSTNAME',
    ],
    [
      { PROBER_SHARDS: '3', HOSTNAME: 'journey-prober-3' },
      'HOSTNAME "journey-prober-3" is replica 3, but PROBER_SHARDS=3',
    ],
  ])('%j is a one-line usage error', (env, message) => {
    let error: unknown;
    try {
      shardFromEnv(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ShardError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('rendezvous hashing on the account', () => {
  it('gives every entry to exactly one replica, and an account to one replica only', () => {
    for (const count of [1, 2, 3, 4, 5]) {
      const shares = Array.from({ length: count }, (_, index) => entriesOfShard(ENTRIES, { index, count }));
      expect(
        shares
          .flat()
          .map((e) => e.id)
          .sort(),
      ).toEqual(ENTRIES.map((e) => e.id).sort());
      const replicaOfAccount = new Map<string, number>();
      shares.forEach((share, replica) => {
        for (const entry of share) {
          if (entry.accountKey === undefined) continue;
          expect(replicaOfAccount.get(entry.accountKey) ?? replica).toBe(replica);
          replicaOfAccount.set(entry.accountKey, replica);
        }
      });
    }
    expect(entriesOfShard(ENTRIES, undefined)).toEqual(ENTRIES);
  });

  it('hashes on the account, and on journey x target without one', () => {
    expect(shardKey(ENTRIES[0]!)).toBe('account:staging:email=a@example.com');
    expect(shardKey(ENTRIES[6]!)).toBe('schedule:home@staging');
  });

  it('going from N to N+1 replicas moves only what the new replica takes', () => {
    // Many keys, so the share the new replica takes can be compared with 1/(N+1).
    const keys = Array.from({ length: 3000 }, (_, i) => `account:target:email=user${i}@example.com`);
    for (const count of [1, 2, 3, 4, 7]) {
      let moved = 0;
      for (const key of keys) {
        const before = ownerOf(key, count);
        const after = ownerOf(key, count + 1);
        if (before !== after) {
          moved++;
          // Never between two old replicas: only to the new one.
          expect(after).toBe(count);
        }
      }
      const share = moved / keys.length;
      console.log(
        `${count} -> ${count + 1} replicas: ${moved} of ${keys.length} keys moved (${(share * 100).toFixed(1)} %, ideal ${(100 / (count + 1)).toFixed(1)} %)`,
      );
      expect(Math.abs(share - 1 / (count + 1))).toBeLessThan(0.04);
    }
  });

  it('3 -> 4 replicas on the 6 pairs over 4 accounts moves the fewest pairs the hashing allows', () => {
    const six = ENTRIES.slice(0, 6);
    const owner = (count: number) => new Map(six.map((e) => [e.id, ownerOf(shardKey(e), count)]));
    const [three, four] = [owner(3), owner(4)];
    const moved = six.filter((e) => three.get(e.id) !== four.get(e.id));
    // The pairs that moved are exactly those of the accounts the new replica won.
    const won = new Set(six.filter((e) => four.get(e.id) === 3).map((e) => e.accountKey));
    expect(new Set(moved.map((e) => e.accountKey))).toEqual(won);
    console.log(
      `3 -> 4 replicas: ${moved.length} of 6 pairs moved (accounts won by replica 3: ${won.size} of 4)`,
    );
  });
});
