import { BatonError, isBatonError } from '@baton/sdk';
import { errorDescriptions } from '@baton/sdk/host';

/** Codes of the errors the Redis backend raises: a view of `ERROR_CATALOG` in `@baton/sdk`. */
export const REDIS_BACKEND_ERROR_CODES = errorDescriptions([
  'BACKEND_UNAVAILABLE',
  'DURABILITY_TIMEOUT',
  'REDIS_EVICTION_POLICY',
  'REDIS_DURABILITY_UNMET',
  'REDIS_VERSION_UNSUPPORTED',
  'REDIS_PREFIX_INVALID',
  'REDIS_URL_INVALID',
  'REDIS_CLUSTER_NODES_INVALID',
  'REDIS_PARTITIONS_INVALID',
  'REDIS_PARTITIONS_MISMATCH',
  'CREDENTIALS_KEY_MISSING',
  'CREDENTIALS_KEY_INVALID',
  'CREDENTIALS_UNREADABLE',
]);

/**
 * Reply errors that mean "not now" rather than "wrong": the server is busy,
 * loading, full or a replica; or, on a Cluster, the slot moved (a failover)
 * and the client has not learnt it yet: ioredis follows MOVED and ASK itself,
 * except within a pipeline it cannot replay (auto-pipelining mixes callers' commands).
 */
const TRANSIENT_REPLY = /^(OOM|LOADING|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY|NOREPLICAS|MOVED|ASK)\b/;

/** Socket failures: the network or the server is gone. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/** Error classes of ioredis and BullMQ that only ever mean "no usable connection". */
const CONNECTION_ERRORS = new Set([
  'MaxRetriesPerRequestError',
  'ConnectionClosedError',
  'ClusterAllFailedError',
]);

/**
 * What ioredis (and BullMQ on top of it) say when there is no usable
 * connection; on a Cluster also while a master fails over (the slot's
 * commands bounce until a replica takes over), including an auto-pipeline
 * batched for one node whose slots moved before it was sent (a hub of
 * several partitions sends commands of several slots at once).
 */
const CLIENT_MESSAGES =
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|Connection is not ready|Reached the max retries|Socket timeout|Cluster is disconnected|None of startup nodes is available|Node is disconnected|Too many Cluster redirections|Failed to refresh slots cache|All keys in the pipeline should belong to the same slots allocation group/;

/**
 * True for errors that say Redis is unreachable or unable to take writes
 * right now, also when wrapped (as the `cause` of another error) by a
 * library on the way up. Errors are recognised by name, code and message,
 * not by class: ioredis and BullMQ may each be loaded more than once.
 */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (isBatonError(error)) return error.code === 'BACKEND_UNAVAILABLE';
  if (!(error instanceof Error)) return false;
  // A ReplyError is Redis answering: only some answers mean "try later".
  if (error.name === 'ReplyError') {
    // A transaction Redis refused to queue (out of memory, say) fails as EXECABORT, with the reasons beside it.
    const previous = (error as { previousErrors?: unknown[] }).previousErrors ?? [];
    return TRANSIENT_REPLY.test(error.message) || previous.some((reason) => isUnavailable(reason, depth + 1));
  }
  if (CONNECTION_ERRORS.has(error.name)) return true;
  const code = (error as NodeJS.ErrnoException).code;
  if ((code !== undefined && SOCKET_CODES.has(code)) || CLIENT_MESSAGES.test(error.message)) return true;
  return depth < 3 && error.cause !== undefined && isUnavailable(error.cause, depth + 1);
}

/** The error every caller sees while Redis is unavailable: retryable, and the gateway answers 503. */
export function unavailable(cause: unknown, what = 'Redis is unavailable'): BatonError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new BatonError(`${what}: ${reason}`, { code: 'BACKEND_UNAVAILABLE', retryable: true, cause });
}

/**
 * Runs a Redis operation and turns connection-level failures into
 * BACKEND_UNAVAILABLE, so callers can answer 503 (or retry) without knowing
 * ioredis's error shapes. Other errors (bugs, script errors) pass through.
 */
export async function guard<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isBatonError(error) || !isUnavailable(error)) throw error;
    throw unavailable(error);
  }
}

/** A Redis URL with its password hidden, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid Redis URL>';
  }
}
