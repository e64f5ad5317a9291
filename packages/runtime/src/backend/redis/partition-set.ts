import { BatonError } from '@baton/sdk';
import type { EngineLogger } from '../../log/logger';
import type { Task } from '../../model/task';
import type { Retention } from '../retention';
import type { RedisClient } from './client';
import type { RedisConnections } from './connections';
import type { Durability } from './durability';
import { guard } from './errors';
import { RedisEventLog } from './event-log';
import { Keys } from './keys';
import type { Partitions } from './partitions';
import { RunRetention } from './retention';
import { RedisRunStore } from './run-store';
import type { ScriptedRedis } from './scripts';
import { StartRelay } from './start-relay';
import { type QueueSettings, RedisTaskQueue } from './task-queue';
import type { WorkerSlots } from './task-slots';
import { RedisWaitStore } from './wait-store';

/** Starts a partition's relay may hold for a slot another partition's relay took (StartBacklog). */
const BACKLOG_LIMIT = 256;

/** What lives in each partition: a run's record, its tasks and start stream, and the events and waits placed there. */
export interface Partition {
  keys: Keys;
  retention: RunRetention;
  runs: RedisRunStore;
  relay: StartRelay;
  queue: RedisTaskQueue;
  events: RedisEventLog;
  waits: RedisWaitStore;
  /** The connection its start relay blocks on (XREADGROUP): one per partition. */
  blocking: RedisClient;
}

export interface PartitionDeps {
  command: ScriptedRedis;
  ingest: ScriptedRedis;
  queueConnection: RedisClient;
  connections: RedisConnections;
  durability: Durability;
  retention: Retention;
  queueSettings: QueueSettings;
  claimIdleMs: number;
  /** The process's name, for its connections and stream consumer. */
  name: string;
  /** The hub's task queue (all partitions): a start relay hands tasks of any run to it. */
  enqueue: (tasks: Task[]) => Promise<void>;
  onUnavailable: (error: unknown) => void;
  slots: WorkerSlots;
  log: EngineLogger;
  now: () => number;
}

/**
 * Builds partition `p`'s stores under its own prefix. Each partition keeps
 * its share of the retention bound (`runs` divided by the partition count),
 * so the hub keeps about as many finished runs as the config says.
 */
export function openPartition(partitions: Partitions, p: number, deps: PartitionDeps): Partition {
  const keys = new Keys(partitions.prefixes[p]!);
  const share = (runs: number) => Math.max(1, Math.ceil(runs / partitions.count));
  const retention = new RunRetention(
    deps.command,
    keys,
    {
      ...deps.retention,
      runs: share(deps.retention.runs),
      failed: { ...deps.retention.failed, runs: share(deps.retention.failed.runs) },
    },
    deps.log,
    deps.now,
  );
  const runs = new RedisRunStore(deps.command, keys, retention, deps.now);
  const suffix = partitions.count === 1 ? '' : `:p${p}`;
  const blocking = deps.connections.blocking(`baton:${deps.name}:starts${suffix}`);
  const relay = new StartRelay(blocking, deps.command, keys, deps.name, deps.enqueue, deps.log, {
    claimIdleMs: deps.claimIdleMs,
    onUnavailable: deps.onUnavailable,
    // The partitions' relays of one worker read for the same free slots at once.
    backlog: partitions.count > 1 ? BACKLOG_LIMIT : 0,
  });
  const queue = new RedisTaskQueue(
    deps.command,
    deps.queueConnection,
    () => deps.connections.worker(`baton:${deps.name}:worker${suffix}`),
    keys,
    relay,
    deps.queueSettings,
    deps.log,
    deps.onUnavailable,
    deps.slots,
  );
  return {
    keys,
    retention,
    runs,
    relay,
    queue,
    events: new RedisEventLog(deps.ingest, keys, deps.durability),
    waits: new RedisWaitStore(deps.command, keys),
    blocking,
  };
}

/**
 * Every process of a hub must place keys the same way: the hub records its
 * partition count on first start (in partition 0) and refuses a process
 * that asks for another. A hub that ran before partitions existed holds its
 * runs in partition 0 alone, so it may only run with one.
 */
const CHECK_LUA = `
local have = redis.call('HGET', KEYS[1], 'partitions')
if have then return have end
if tonumber(ARGV[1]) > 1 and redis.call('EXISTS', KEYS[2]) == 1 then return '1' end
redis.call('HSET', KEYS[1], 'partitions', ARGV[1])
return ARGV[1]
`;

export async function checkHubPartitions(redis: RedisClient, keys: Keys, count: number): Promise<void> {
  const recorded = Number(await guard(() => redis.eval(CHECK_LUA, 2, keys.meta, keys.allRuns, count)));
  if (recorded !== count) {
    throw new BatonError(
      `this hub's keys (prefix "${keys.prefix}") are spread over ${recorded} partition${recorded === 1 ? '' : 's'}, and this process asks for ${count} (BATON_REDIS_PARTITIONS): every process of a hub must use the hub's count. Set BATON_REDIS_PARTITIONS=${recorded}, or start a new hub (another BATON_REDIS_PREFIX) with ${count}`,
      { code: 'REDIS_PARTITIONS_MISMATCH' },
    );
  }
}
