import { randomBytes } from 'node:crypto';
import { createRedisBackend, type RedisBackend, type RedisBackendOptions } from '@baton/runtime';
import { Redis } from 'ioredis';
import type { BackendFactory } from './hub';
import { deleteHubKeys } from './key-cleanup';
import { deleteClusterKeys } from './redis-cluster';

/** The Redis the tests use: REDIS_URL, else the machine's. */
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses, with the hash tag the backend requires. */
export function uniquePrefix(label = 'test'): string {
  return `{baton-${label}-${randomBytes(5).toString('hex')}}`;
}

/** Deletes every key of the hub under `prefix` and its partitions (SCAN + DEL), BullMQ's included. */
export async function deleteKeys(prefix: string, url = redisUrl): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    await deleteHubKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** A Redis backend on a fresh prefix whose `close` also deletes its keys. */
export async function disposableRedisBackend(
  options: Partial<RedisBackendOptions> = {},
): Promise<RedisBackend> {
  const prefix = options.prefix ?? uniquePrefix();
  const cluster = options.cluster?.nodes;
  const backend = await createRedisBackend({ ...(cluster ? {} : { url: redisUrl }), ...options, prefix });
  return {
    ...backend,
    async close() {
      try {
        await backend.close();
      } finally {
        await (cluster ? deleteClusterKeys(cluster, prefix) : deleteKeys(prefix));
      }
    },
  };
}

/** The shared test Cluster's nodes (`BATON_TEST_CLUSTER_NODES`, which `.ci/run` sets), if any. */
export const sharedClusterNodes = process.env.BATON_TEST_CLUSTER_NODES?.split(',');

/**
 * `BATON_TEST_PARTITIONS=N`: every test hub on Redis spreads its runs over N
 * partitions; `BATON_TEST_ON_CLUSTER=1`: every test hub on Redis runs on the
 * shared test Cluster (`BATON_TEST_CLUSTER_NODES`). To run any suite against
 * a partitioned hub, or on a Cluster, on demand.
 */
export const testPartitions = process.env.BATON_TEST_PARTITIONS
  ? Number(process.env.BATON_TEST_PARTITIONS)
  : undefined;

export const redis: BackendFactory = {
  name: 'redis',
  create: () =>
    disposableRedisBackend({
      ...(testPartitions ? { partitions: testPartitions } : {}),
      ...(process.env.BATON_TEST_ON_CLUSTER && sharedClusterNodes
        ? { cluster: { nodes: sharedClusterNodes } }
        : {}),
    }),
};

/** The Redis backend on the shared test Cluster, on a fresh prefix deleted on close. */
export const redisCluster: BackendFactory = {
  name: 'redis-cluster',
  create: () => disposableRedisBackend({ cluster: { nodes: sharedClusterNodes ?? [] } }),
};
