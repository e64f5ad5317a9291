import type { EngineLogger } from '../log/logger';
import { createEmbeddedBackend } from './embedded/index';
import type { RedisClusterOptions } from './redis/client';
import { createRedisBackend, type RedisBackendOptions } from './redis/index';
import type { DurabilityMode } from './redis/server-checks';
import type { RetentionOptions } from './retention';
import type { Backend } from './types';

export interface CreateBackendOptions {
  /** Set: the Redis backend at this URL (durable, shared by workers). Unset: the embedded backend. */
  redisUrl?: string;
  /**
   * Set: the Redis backend on this Redis Cluster (`REDIS_CLUSTER_NODES`),
   * instead of `redisUrl`; giving both is an error (REDIS_CLUSTER_NODES_INVALID).
   */
  redisCluster?: RedisClusterOptions;
  /** Redis: prefix of every key, with a Cluster hash tag. @default '{baton}' */
  prefix?: string;
  /**
   * How many finished runs, and for how long, are kept: succeeded runs by
   * `runs` and `maxAgeMs`, failed and cancelled ones by `failed`.
   * @default { runs: 10000, maxAgeMs: 7 days, failed: { runs: 10000, maxAgeMs: 30 days } }
   */
  retention?: RetentionOptions;
  /**
   * Redis: spreads the hub's runs over this many hash-tagged partitions
   * (`BATON_REDIS_PARTITIONS`), so a Cluster's masters share the work. @default 1
   */
  partitions?: number;
  /** Redis: when an acknowledged event counts as safe (see RedisBackendOptions.durability). @default 'default' */
  durability?: DurabilityMode;
  log?: EngineLogger;
  /** Redis: further tuning (queue locks, timeouts, names). */
  redis?: Omit<
    RedisBackendOptions,
    'url' | 'cluster' | 'prefix' | 'retention' | 'durability' | 'partitions' | 'log'
  >;
}

/**
 * The backend the configuration asks for: Redis when a URL (`REDIS_URL`)
 * or a Cluster (`REDIS_CLUSTER_NODES`) is given, else the embedded
 * in-process one.
 *
 * @example
 * ```ts
 * const backend = await createBackend({ redisUrl: process.env.REDIS_URL });
 * ```
 */
export async function createBackend(options: CreateBackendOptions = {}): Promise<Backend> {
  if (!options.redisUrl && !options.redisCluster) {
    return createEmbeddedBackend(options.retention ? { retention: options.retention } : {});
  }
  return createRedisBackend({
    ...options.redis,
    ...(options.redisUrl ? { url: options.redisUrl } : {}),
    ...(options.redisCluster ? { cluster: options.redisCluster } : {}),
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    ...(options.retention ? { retention: options.retention } : {}),
    ...(options.durability ? { durability: options.durability } : {}),
    ...(options.partitions !== undefined ? { partitions: options.partitions } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
