import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type EngineLogger, silentEngineLogger } from '../../log/logger';
import { countingOpenings } from '../breaker-openings';
import { type RetentionOptions, resolveRetention } from '../retention';
import type { Backend } from '../types';
import { RedisAnalyticsStore } from './analytics-store';
import { RedisBreakerStore } from './breaker-store';
import { RedisBudgetStore } from './budget-store';
import { type RedisClient, type RedisClusterOptions, redisTarget } from './client';
import { connect, RedisConnections } from './connections';
import { CredentialCipher, type CredentialKeys } from './credential-cipher';
import { RedisCredentialStore } from './credential-store';
import { AofDurability, acceptedDurability, type Durability } from './durability';
import { guard, isUnavailable } from './errors';
import { RedisFlowVersions } from './flow-versions';
import { checkPrefix, DEFAULT_PREFIX, Keys } from './keys';
import { RedisRateLimiter } from './limiter';
import { RedisLiveEvents } from './live-events';
import { RedisOutage } from './outage';
import { checkHubPartitions, openPartition, type Partition } from './partition-set';
import { PartitionedEventLog, PartitionedWaitStore } from './partitioned-events';
import { PartitionedTaskQueue } from './partitioned-queue';
import { PartitionedRunStore } from './partitioned-runs';
import { consumedPartitions, Partitions } from './partitions';
import { RedisReplayJobStore } from './replay-job-store';
import type { RedisRunStore } from './run-store';
import { RedisScheduleClock } from './schedule-clock';
import { withScripts } from './scripts';
import { checkServers, type DurabilityMode, type ServerFacts } from './server-checks';
import { RedisSignals } from './signals';
import { DEFAULT_QUEUE_SETTINGS, type QueueSettings } from './task-queue';
import { WorkerSlots } from './task-slots';

export interface RedisBackendOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. Give this or `cluster`. */
  url?: string;
  /** A Redis Cluster instead of one server (`REDIS_CLUSTER_NODES`): its seed nodes and credentials. */
  cluster?: RedisClusterOptions;
  /**
   * Prefix of every key, BullMQ's included. It must hold a Redis Cluster
   * hash tag, so all keys share one slot. @default '{baton}'
   */
  prefix?: string;
  /**
   * How many finished runs, and for how long, are kept: succeeded runs by
   * `runs` and `maxAgeMs`, failed and cancelled ones by `failed`.
   * @default { runs: 10000, maxAgeMs: 7 days, failed: { runs: 10000, maxAgeMs: 30 days } }
   */
  retention?: RetentionOptions;
  /**
   * `default`: an event is acknowledged once Redis accepted it (on disk
   * within appendfsync's window). `strict`: once it is in the append-only
   * file (WAITAOF on Redis 7.2+; older servers must run appendfsync always).
   * @default 'default'
   */
  durability?: DurabilityMode;
  /** Strict mode on Redis 7.2+: how long to wait for the fsync before failing the write. @default 1000 */
  waitAofTimeoutMs?: number;
  /** A state command that takes longer fails as BACKEND_UNAVAILABLE. @default 5000 */
  commandTimeoutMs?: number;
  /** At start, how long to wait for Redis to be ready (a Cluster short of slots never is). @default 20000 */
  connectTimeoutMs?: number;
  /**
   * Spreads the hub's runs over this many partitions, each under its own
   * hash tag, so a Redis Cluster's masters share the work
   * (`BATON_REDIS_PARTITIONS`). Fixed per hub: every process must use the
   * hub's count (REDIS_PARTITIONS_MISMATCH otherwise). @default 1
   */
  partitions?: number;
  /**
   * The partitions this process consumes as a worker (`BATON_WORKER_PARTITIONS`),
   * to split a fleet; schedule ticks and bulk replays are queued in
   * partition 0. @default every partition
   */
  consume?: readonly number[];
  /** How BullMQ runs tasks (locks, stalled checks, attempts, kept jobs). */
  queue?: Partial<QueueSettings>;
  /** Start-stream entries a worker received but did not relay for this long are taken over by another. @default 30000 */
  claimIdleMs?: number;
  /** How long a breaker read is trusted in this process. @default 200 */
  breakerCacheMs?: number;
  /**
   * The keys connector instances' OAuth2 tokens are encrypted with (32
   * bytes, base64 or hex). Without a current key, an instance that uses
   * OAuth2 fails with CREDENTIALS_KEY_MISSING.
   * @default BATON_CREDENTIALS_KEY and BATON_CREDENTIALS_KEY_PREVIOUS from process.env
   */
  credentialKeys?: CredentialKeys;
  /** Names this process's Redis connections and stream consumer. @default `<host>-<pid>-<random>` */
  name?: string;
  log?: EngineLogger;
  now?: () => number;
}

/** The Redis backend, with what it found out about its server. */
export interface RedisBackend extends Backend {
  readonly name: 'redis';
  readonly runs: RedisRunStore | PartitionedRunStore;
  readonly prefix: string;
  readonly server: ServerFacts;
}

/**
 * Connects to Redis, checks the server is safe to run on (see
 * server-checks.ts) and returns the backend: state and the start stream in
 * plain Redis structures, the task queue and the schedules in BullMQ.
 * Throws BACKEND_UNAVAILABLE when Redis cannot be reached, and refuses a
 * server that may evict keys or cannot meet the asked durability.
 *
 * @example
 * ```ts
 * const backend = await createRedisBackend({ url: process.env.REDIS_URL! });
 * const engine = createEngine({ flows, instances, backend });
 * ```
 */
export async function createRedisBackend(options: RedisBackendOptions): Promise<RedisBackend> {
  const target = redisTarget(options);
  const where = target.describe;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  checkPrefix(prefix);
  const partitions = new Partitions(prefix, options.partitions ?? 1);
  const consumed = consumedPartitions(options.consume, partitions.count);
  // Checked before connecting: a malformed key is a configuration error, whatever Redis says.
  const cipher = CredentialCipher.fromKeys(
    options.credentialKeys ?? {
      current: process.env.BATON_CREDENTIALS_KEY,
      previous: process.env.BATON_CREDENTIALS_KEY_PREVIOUS,
    },
  );
  const log = options.log ?? silentEngineLogger();
  const now = options.now ?? Date.now;
  const name = options.name ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const commandTimeoutMs = options.commandTimeoutMs ?? 5000;
  const waitAofTimeoutMs = options.waitAofTimeoutMs ?? 1000;

  const outage: RedisOutage = new RedisOutage({
    redis: where,
    log,
    probe: async () => connections.allUp() && (await command.ping()) === 'PONG',
  });
  const connections = new RedisConnections(target, log, (error) => outage.report(error));
  const command = withScripts(connections.command(`baton:${name}`, commandTimeoutMs));
  const opened: RedisClient[] = [command];
  try {
    await connect(command, where, options.connectTimeoutMs);
    const { server, ...assessment } = await checkServers(command, options.durability ?? 'default');
    for (const warning of assessment.warnings) log.warn({ redis: server.version }, warning);
    let ingest = command;
    let durability: Durability = acceptedDurability;
    if (assessment.waitAof) {
      // WAITAOF blocks its connection until the fsync: keep it off the one every step uses.
      ingest = withScripts(connections.command(`baton:${name}:ingest`, commandTimeoutMs + waitAofTimeoutMs));
      opened.push(ingest);
      await connect(ingest, where, options.connectTimeoutMs);
      durability = new AofDurability(ingest, waitAofTimeoutMs);
    }

    const keys = new Keys(prefix);
    await checkHubPartitions(command, keys, partitions.count);
    const queueConnection = connections.queue(`baton:${name}:queue`, commandTimeoutMs);
    opened.push(queueConnection);
    await connect(queueConnection, where, options.connectTimeoutMs);
    const slots = new WorkerSlots();
    const retention = resolveRetention(options.retention);
    const queueSettings = { ...DEFAULT_QUEUE_SETTINGS, ...options.queue };
    const parts: Partition[] = [];
    for (let p = 0; p < partitions.count; p++) {
      parts.push(
        openPartition(partitions, p, {
          command,
          ingest,
          queueConnection,
          connections,
          durability,
          retention,
          queueSettings,
          claimIdleMs: options.claimIdleMs ?? 30_000,
          name,
          enqueue: (tasks) => queue.enqueue(tasks),
          onUnavailable: (error) => outage.report(error),
          slots,
          log,
          now,
        }),
      );
    }
    const one = parts[0]!;
    // One partition (the default): its stores themselves, with nothing in between.
    const single = partitions.count === 1;
    const runs = single
      ? one.runs
      : new PartitionedRunStore(
          partitions,
          parts.map((part) => part.runs),
        );
    const queue = single
      ? one.queue
      : new PartitionedTaskQueue(
          partitions,
          parts.map((part) => part.queue),
          consumed,
        );
    // What Redis holds after an outage may be older than this process's copies (a failover loses
    // the dead master's last writes): they are dropped when it starts and again when it ends.
    outage.onChange(() => runs.forgetCopies());
    const budgets = new RedisBudgetStore(command, keys);
    const signals = new RedisSignals(
      command,
      () => connections.subscriber(`baton:${name}:signals`),
      keys.cancelChannel,
      log,
    );
    const flowVersions = new RedisFlowVersions(
      command,
      () => connections.subscriber(`baton:${name}:reloads`),
      keys,
      log,
      now,
    );
    const live = new RedisLiveEvents(
      command,
      () => connections.subscriber(`baton:${name}:live`),
      keys.liveChannel,
      name,
      log,
    );
    const analytics = new RedisAnalyticsStore(command, keys);
    outage.watch();
    return {
      name: 'redis',
      durable: true,
      prefix,
      server,
      runs,
      queue,
      breakers: countingOpenings(
        new RedisBreakerStore(command, keys, options.breakerCacheMs ?? 200),
        analytics,
        log,
      ),
      events: single
        ? one.events
        : new PartitionedEventLog(
            partitions,
            parts.map((part) => part.events),
          ),
      limiter: new RedisRateLimiter(command, keys),
      budgets,
      waits: single
        ? one.waits
        : new PartitionedWaitStore(
            partitions,
            parts.map((part) => part.waits),
          ),
      schedules: new RedisScheduleClock(queue.queue, log),
      signals,
      live,
      flowVersions,
      credentials: new RedisCredentialStore(command, keys, cipher),
      replayJobs: new RedisReplayJobStore(command, keys),
      analytics,
      ...(single ? {} : { placeRuns: (list, home) => partitions.place(list, home) }),
      async ping() {
        try {
          await guard(() => command.ping());
        } catch (error) {
          // Readiness probes are often all that calls Redis on an idle process: they start an outage too.
          if (isUnavailable(error)) outage.report(error);
          throw error;
        }
      },
      async close() {
        outage.close();
        await queue.close();
        // After the queue: the events of the steps drained on the way out are sent too.
        await live.close();
        await budgets.flushAll();
        await analytics.flush().catch((error: unknown) => {
          log.warn({ err: error }, 'could not write the last runs to the flow analytics');
        });
        await Promise.all(parts.map((part) => part.retention.idle()));
        signals.close();
        flowVersions.close();
        for (const part of parts) part.blocking.disconnect();
        await Promise.all(opened.map((redis) => redis.quit().catch(() => redis.disconnect())));
      },
    };
  } catch (error) {
    outage.close();
    for (const redis of opened) redis.disconnect();
    throw error;
  }
}

export type { RedisClusterOptions } from './client';
export { REDIS_BACKEND_ERROR_CODES } from './errors';
export { DEFAULT_PREFIX } from './keys';
export type { DurabilityMode, ServerFacts } from './server-checks';
export type { QueueSettings } from './task-queue';
