import { type BackendFactory, embedded } from '../helpers/hub';
import { disposableRedisBackend, redis, redisCluster, sharedClusterNodes } from '../helpers/redis';

/**
 * The backends every behaviour file runs against: the embedded one and Redis
 * (REDIS_URL, else 127.0.0.1:6379) on a fresh key prefix per test, deleted
 * when the test's hub closes.
 */
export const backends: BackendFactory[] = [embedded, redis];

const PARTITIONS = 3;

/**
 * Redis on the shared test Cluster with the hub's runs spread over three
 * partitions (BATON_REDIS_PARTITIONS=3); closing it deletes every
 * partition's keys (deleteClusterKeys finds the partitions' tags too).
 */
export const redisClusterPartitioned: BackendFactory = {
  name: `redis-cluster-partitions-${PARTITIONS}`,
  create: () =>
    disposableRedisBackend({ cluster: { nodes: sharedClusterNodes ?? [] }, partitions: PARTITIONS }),
};

/**
 * `backends` plus Redis on a Cluster when one is shared
 * (`BATON_TEST_CLUSTER_NODES`, which `.ci/run` sets; a cluster per file would
 * cost each file seconds), on one partition and on three. Only the files
 * where a Cluster can behave differently from one Redis choose it: multi-key
 * scripts and transactions (idempotency, cancel and replay in lifecycle;
 * ordering lines; waits and approvals; compensation and timeouts in
 * failure), and reloads and schedules reaching other engines over pub/sub
 * with runs parked in BullMQ (flow-versions); with partitions, the same
 * behaviour across hash tags (runs, dedup entries, order lines and waits
 * each placed in their partition). The other files go through the same
 * cluster client, scripts and hash-tagged slot as these, so their Cluster
 * pass added about a minute of CI and no coverage.
 */
export const backendsWithCluster: BackendFactory[] = sharedClusterNodes
  ? [...backends, redisCluster, redisClusterPartitioned]
  : backends;
