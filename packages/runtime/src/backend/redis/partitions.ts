/// <reference path="./cluster-key-slot.d.ts" />
import { BatonError } from '@baton/sdk';
import calculateSlot from 'cluster-key-slot';
import { newRunId } from '../../model/ids';
import type { RunRecord } from '../../model/run-record';
import type { RunHome } from '../types';

/** Most partitions a hub may have: far more masters than any Cluster we size for. */
export const MAX_PARTITIONS = 64;

/**
 * How a hub's keys are spread over `count` partitions, each under its own
 * hash tag so a Redis Cluster places them on different masters. Partition 0
 * is the hub's own prefix (`{baton}`): a hub of one partition, and the
 * hub-wide keys of any hub, are where they always were. Partition p > 0 puts
 * `/p` inside the tag (`{baton/2}`, see `partitionPrefix`), so that the
 * partitions' slots spread evenly over the slot space and a Cluster whose
 * masters hold even slot ranges (as `redis-cli --cluster create` makes
 * them) gives each master its share. Everything is placed by a hash, so any
 * process finds any key without asking another:
 * - a run by its id; new runs get ids that land where they must (`place`);
 * - an event's dedup entry (and the runs it starts) by (source, event id);
 * - an ordered run by (flow, order key), so its whole line is in one place;
 * - a wait by (source, type, key), where ingest looks for it.
 */
export class Partitions {
  readonly prefixes: readonly string[];

  constructor(
    readonly prefix: string,
    readonly count: number,
  ) {
    checkPartitionCount(count);
    this.prefixes = Array.from({ length: count }, (_, p) => partitionPrefix(prefix, p, count));
  }

  ofRun(runId: string): number {
    return this.count === 1 ? 0 : hash(runId) % this.count;
  }

  ofEvent(source: string, eventId: string): number {
    return this.count === 1 ? 0 : hash(`${source}\n${eventId}`) % this.count;
  }

  ofLine(flow: string, orderKey: string): number {
    return this.count === 1 ? 0 : hash(`${flow}\n${orderKey}`) % this.count;
  }

  ofWait(source: string, type: string, key: string): number {
    return this.count === 1 ? 0 : hash(`${source}\n${type}\n${key}`) % this.count;
  }

  /** Where a run must live: its order line's partition when it has an order key, else `home`'s. */
  wanted(run: Pick<RunRecord, 'flow' | 'orderKey'>, home: RunHome): number {
    if (run.orderKey !== undefined) return this.ofLine(run.flow, run.orderKey);
    return 'runId' in home ? this.ofRun(home.runId) : this.ofEvent(home.source, home.eventId);
  }

  /**
   * Gives each new run an id in the partition it must live in (see
   * `wanted`), before anything reads its id. Ids keep their layout and
   * their time: the next ids of the run's millisecond are tried until one
   * hashes to the partition (`count` tries on average).
   */
  place(runs: readonly RunRecord[], home: RunHome): void {
    if (this.count === 1) return;
    for (const run of runs) {
      const wanted = this.wanted(run, home);
      if (this.ofRun(run.id) === wanted) continue;
      const at = Date.parse(run.createdAt);
      let id = newRunId(at);
      while (this.ofRun(id) !== wanted) id = newRunId(at);
      run.id = id;
    }
  }
}

const SLOTS = 16384;

/**
 * Partition p's key prefix out of `count`: the hub's prefix for 0, else
 * `/p` inside its hash tag, followed by `.k` with the smallest k (none if it
 * already does) that puts the tag's slot in the p-th `count`-th of the slot
 * space, counted on from partition 0's: N partitions fall into N even slot
 * ranges, one each, whatever the hub's prefix. Every process computes the
 * same prefixes from the prefix and the count.
 */
export function partitionPrefix(prefix: string, p: number, count: number): string {
  if (p === 0) return prefix;
  const open = prefix.indexOf('{');
  const close = prefix.indexOf('}', open + 1);
  const tag = prefix.slice(open + 1, close);
  const range = (slot: number) => Math.floor((slot * count) / SLOTS);
  const wanted = (range(calculateSlot(`{${tag}}`)) + p) % count;
  let inside = `${tag}/${p}`;
  for (let k = 1; range(calculateSlot(`{${inside}}`)) !== wanted; k++) inside = `${tag}/${p}.${k}`;
  return `${prefix.slice(0, open + 1)}${inside}${prefix.slice(close)}`;
}

export function checkPartitionCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITIONS) {
    throw new BatonError(
      `BATON_REDIS_PARTITIONS is ${JSON.stringify(count)}; use a whole number from 1 to ${MAX_PARTITIONS} (about one to four per Cluster master), the same for every process of the hub`,
      { code: 'REDIS_PARTITIONS_INVALID' },
    );
  }
}

/** FNV-1a over the UTF-16 code units: cheap, and spreads consecutive ids evenly. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Items by the partition `partitionOf` gives each, in their order. */
export function groupByPartition<T>(items: readonly T[], partitionOf: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const p = partitionOf(item);
    const group = groups.get(p);
    if (group) group.push(item);
    else groups.set(p, [item]);
  }
  return groups;
}

/** The partitions a worker consumes: all of them, or the subset it was given (each checked). */
export function consumedPartitions(given: readonly number[] | undefined, count: number): number[] {
  if (given === undefined || given.length === 0) return Array.from({ length: count }, (_, p) => p);
  for (const p of given) {
    if (!Number.isInteger(p) || p < 0 || p >= count) {
      throw new BatonError(
        `BATON_WORKER_PARTITIONS names partition ${JSON.stringify(p)}, and this hub has partitions 0 to ${count - 1}`,
        { code: 'REDIS_PARTITIONS_INVALID' },
      );
    }
  }
  return [...new Set(given)];
}
