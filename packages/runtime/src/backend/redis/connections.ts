import { Redis, type RedisOptions } from 'ioredis';
import type { EngineLogger } from '../../engine/logger';
import { redactUrl, unavailable } from './errors';

/** Reconnect quickly at first, then every two seconds, forever: a worker outlives a Redis restart. */
function retryStrategy(times: number): number {
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

function client(url: string, name: string, log: EngineLogger, options: ClientOptions): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    retryStrategy,
    ...options,
  });
  let lastReport = 0;
  // Without a listener ioredis prints every reconnect failure; report them, at most every 5 s.
  redis.on('error', (err: Error) => {
    const now = Date.now();
    if (now - lastReport < 5000) return;
    lastReport = now;
    log.warn({ redis: redactUrl(url), connection: name, err: err.message }, 'Redis connection error');
  });
  return redis;
}

/**
 * The connection for state reads and writes and for adding jobs. It fails
 * fast while Redis is away (no offline queue, no resend of commands whose
 * answer was lost), so the gateway can answer 503 at once; auto-pipelining
 * lets concurrent requests share round trips.
 */
export function commandClient(url: string, name: string, log: EngineLogger, commandTimeoutMs: number): Redis {
  return client(url, name, log, {
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
export function queueClient(url: string, name: string, log: EngineLogger, commandTimeoutMs: number): Redis {
  return client(url, name, log, {
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
export function workerClient(url: string, name: string, log: EngineLogger): Redis {
  return client(url, name, log, { maxRetriesPerRequest: null });
}

/** A connection for blocking reads (the start stream): fails fast, its loop retries. */
export function blockingClient(url: string, name: string, log: EngineLogger): Redis {
  return client(url, name, log, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
}

/** A pub/sub connection; ioredis subscribes again after a reconnect. */
export function subscriberClient(url: string, name: string, log: EngineLogger): Redis {
  return client(url, name, log, { maxRetriesPerRequest: null });
}

/** Connects, or stops reconnecting and throws BACKEND_UNAVAILABLE naming the (redacted) URL. */
export async function connect(redis: Redis, url: string): Promise<void> {
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw unavailable(error, `cannot connect to Redis at ${redactUrl(url)}`);
  }
}
