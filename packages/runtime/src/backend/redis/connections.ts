import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { EngineLogger } from '../../log/logger';
import type { RedisClient, RedisTarget } from './client';
import { paceClusterSubscriber } from './cluster-subscriber';
import { isUnavailable, unavailable } from './errors';

/** Reconnect quickly at first, then every two seconds, forever: a worker outlives a Redis restart. */
export function reconnectDelay(times: number): number {
  return Math.min(50 * 2 ** times, 2000);
}

/** The few options that differ between Baton's connections. */
type ClientOptions = Pick<
  RedisOptions,
  | 'enableOfflineQueue'
  | 'maxRetriesPerRequest'
  | 'autoResendUnfulfilledCommands'
  | 'enableAutoPipelining'
  | 'commandTimeout'
>;

/** Statuses of a connection that is not down: open, not opened yet (lazy), or closed on purpose. */
const NOT_DOWN = new Set(['ready', 'wait', 'end']);

/**
 * Makes this process's Redis connections, one kind per method, and keeps
 * them, so an outage can tell when all of them are back. A connection
 * error that means Redis is unavailable goes to `onUnavailable` (the
 * outage log), others to the log, at most every 5 s per connection.
 */
export class RedisConnections {
  private readonly opened = new Set<RedisClient>();

  constructor(
    private readonly target: RedisTarget,
    private readonly log: EngineLogger,
    private readonly onUnavailable: (error: Error) => void,
  ) {}

  /**
   * The connection for state reads and writes and for adding jobs. It fails
   * fast while Redis is away (no offline queue, no resend of commands whose
   * answer was lost), so the gateway can answer 503 at once; auto-pipelining
   * lets concurrent requests share round trips.
   */
  command(name: string, commandTimeoutMs: number): RedisClient {
    return this.client(name, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      enableAutoPipelining: true,
      commandTimeout: commandTimeoutMs,
    });
  }

  /**
   * The connection a BullMQ Queue adds jobs on: fails fast like the command
   * connection, but apart from it. BullMQ defines some fifty scripts on its
   * client, and ioredis copies every defined script onto each pipeline and
   * transaction it builds: on a shared client that made each of Baton's own
   * transactions several times slower.
   */
  queue(name: string, commandTimeoutMs: number): RedisClient {
    return this.client(name, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: commandTimeoutMs,
    });
  }

  /**
   * The template BullMQ duplicates for a worker's connections. BullMQ
   * requires commands to wait out an outage (`maxRetriesPerRequest: null`):
   * a worker pauses while Redis is away and goes on when it is back.
   */
  worker(name: string): RedisClient {
    return this.client(name, { maxRetriesPerRequest: null });
  }

  /** A connection for blocking reads (the start stream): fails fast, its loop retries. */
  blocking(name: string): RedisClient {
    return this.client(name, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  }

  /** A pub/sub connection; ioredis subscribes again after a reconnect. */
  subscriber(name: string): RedisClient {
    return this.client(name, { maxRetriesPerRequest: null });
  }

  /** True when none of the connections is down or still reconnecting. */
  allUp(): boolean {
    for (const redis of this.opened) {
      if (!NOT_DOWN.has(redis.status)) return false;
      // A Cluster stays ready while one master is gone: up means every master's connection is too.
      if (redis instanceof Cluster && redis.status === 'ready' && !mastersUp(redis)) {
        return false;
      }
    }
    return true;
  }

  private client(name: string, options: ClientOptions): RedisClient {
    const redis =
      this.target.kind === 'cluster'
        ? clusterClient(this.target, name, options)
        : new Redis(this.target.url, {
            lazyConnect: true,
            connectionName: name,
            retryStrategy: reconnectDelay,
            ...options,
          });
    this.opened.add(redis);
    let lastReport = 0;
    // Without a listener ioredis prints every reconnect failure; a Cluster reports its nodes' apart.
    const onError = (err: Error) => {
      if (isUnavailable(err)) {
        this.onUnavailable(err);
        return;
      }
      const now = Date.now();
      if (now - lastReport < 5000) return;
      lastReport = now;
      this.log.warn(
        { redis: this.target.describe, connection: name, err: err.message },
        'Redis connection error',
      );
    };
    redis.on('error', onError);
    if (redis instanceof Cluster) redis.on('node error', onError);
    return redis;
  }
}

/** A node connection a Cluster dropped ends (it is not reconnected): only open or not yet opened is up. */
function mastersUp(cluster: Cluster): boolean {
  return cluster.nodes('master').every((node) => node.status === 'ready' || node.status === 'wait');
}

/**
 * The Cluster counterpart of a connection: the same fail-fast options, on
 * the Cluster (offline queue, auto-pipelining) and on each node's
 * connection (`redisOptions`). Reads go to masters: a replica may lag.
 */
function clusterClient(
  target: Extract<RedisTarget, { kind: 'cluster' }>,
  name: string,
  { enableOfflineQueue, enableAutoPipelining, ...nodeOptions }: ClientOptions,
): Cluster {
  const cluster = new Cluster(target.nodes, {
    lazyConnect: true,
    clusterRetryStrategy: reconnectDelay,
    scaleReads: 'master',
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(enableAutoPipelining !== undefined ? { enableAutoPipelining } : {}),
    redisOptions: {
      connectionName: name,
      ...nodeOptions,
      ...(target.username !== undefined ? { username: target.username } : {}),
      ...(target.password !== undefined ? { password: target.password } : {}),
      ...(target.tls !== undefined ? { tls: target.tls } : {}),
    },
  });
  paceClusterSubscriber(cluster, reconnectDelay);
  return cluster;
}

/** How long a process waits at start for a connection to be ready before it gives up. */
export const CONNECT_TIMEOUT_MS = 20_000;

/**
 * Connects, or stops reconnecting and throws BACKEND_UNAVAILABLE naming
 * where (URL redacted). Bounded: ioredis's connect to a Cluster that
 * answers but is not ready (a node whose slots are not all served, a
 * Cluster not yet created) retries for ever without settling.
 */
export async function connect(
  redis: RedisClient,
  where: string,
  timeoutMs = CONNECT_TIMEOUT_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const notReady = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(notReadyError(redis, timeoutMs)), timeoutMs);
  });
  try {
    await Promise.race([redis.connect(), notReady]);
  } catch (error) {
    redis.disconnect();
    throw unavailable(error, `cannot connect to Redis at ${where}`);
  } finally {
    clearTimeout(timer);
  }
}

function notReadyError(redis: RedisClient, timeoutMs: number): Error {
  const waited = `not ready after ${timeoutMs / 1000} s`;
  if (!(redis instanceof Cluster)) return new Error(waited);
  return new Error(
    `${waited}: the Cluster answers but is not ready; are all its slots served (cluster_state:ok), does each node announce its address (cluster-announce-ip)? \`redis-cli --cluster check <node>\` shows what is missing`,
  );
}
