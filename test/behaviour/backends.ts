import { type BackendFactory, embedded } from '../helpers/hub';
import { redis, redisCluster, sharedClusterNodes } from '../helpers/redis';

/**
 * The backends every behaviour file runs against: the embedded one and Redis
 * (REDIS_URL, else 127.0.0.1:6379) on a fresh key prefix per test, deleted
 * when the test's hub closes.
 */
export const backends: BackendFactory[] = [embedded, redis];

/**
 * `backends` plus Redis on a Cluster when one is shared
 * (`BATON_TEST_CLUSTER_NODES`, which `.ci/run` sets; a cluster per file would
 * cost each file seconds). Only the files where a Cluster can behave
 * differently from one Redis choose it: multi-key scripts and transactions
 * (idempotency, cancel and replay in lifecycle; ordering lines; waits and
 * approvals; compensation and timeouts in failure), and reloads and
 * schedules reaching other engines over pub/sub with runs parked in BullMQ
 * (flow-versions). The other files go through the same cluster client,
 * scripts and hash-tagged slot as these, so their Cluster pass added about a
 * minute of CI and no coverage.
 */
export const backendsWithCluster: BackendFactory[] = sharedClusterNodes
  ? [...backends, redisCluster]
  : backends;
