import { type BackendFactory, embedded } from '../helpers/hub';
import { redis, redisCluster, sharedClusterNodes } from '../helpers/redis';

/**
 * Every backend the behaviour suite runs against: the embedded one, Redis
 * (REDIS_URL, else 127.0.0.1:6379) on a fresh key prefix per test,
 * deleted when the test's hub closes, and Redis on a Cluster when one is
 * shared (`BATON_TEST_CLUSTER_NODES`, which `.ci/run` sets): a cluster per
 * file would cost each file seconds.
 */
export const backends: BackendFactory[] = sharedClusterNodes
  ? [embedded, redis, redisCluster]
  : [embedded, redis];
