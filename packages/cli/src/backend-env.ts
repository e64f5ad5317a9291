import { type CreateBackendOptions, type DurabilityMode, type Hub, parseDuration } from '@baton/runtime';
import { BatonError } from '@baton/sdk';
import { CliError } from './cli-error';

/**
 * The backend options a process takes from its environment and the hub
 * config: `REDIS_URL` picks Redis, or `REDIS_CLUSTER_NODES` (seed nodes,
 * `host:port,host:port`) a Redis Cluster; `BATON_REDIS_PREFIX` (a key prefix with
 * a hash tag, default `{baton}`), `BATON_DURABILITY` (`default` or
 * `strict`), `BATON_LOCK_DURATION` and `BATON_STALLED_INTERVAL` (durations
 * such as `30s`: how soon a dead worker's steps are taken over) tune it;
 * `BATON_REDIS_PARTITIONS` spreads the hub's runs over that many
 * hash-tagged partitions (the same for every process), and
 * `BATON_WORKER_PARTITIONS` (`0,2`) limits the ones a worker consumes;
 * `BATON_CREDENTIALS_KEY` (and `BATON_CREDENTIALS_KEY_PREVIOUS` while
 * rotating) encrypts OAuth2 tokens in Redis, and is required there when an
 * instance uses OAuth2; `retention` comes from baton.config.json.
 */
export function backendOptionsFromEnv(env: NodeJS.ProcessEnv, hub: Hub): CreateBackendOptions {
  const retention = hub.config.retention;
  const durability = env.BATON_DURABILITY;
  if (durability !== undefined && durability !== 'default' && durability !== 'strict') {
    throw new CliError(
      'DURABILITY_INVALID',
      `BATON_DURABILITY is "${durability}"; use "default" or "strict"`,
    );
  }
  const lockDurationMs = duration(env, 'BATON_LOCK_DURATION');
  const stalledIntervalMs = duration(env, 'BATON_STALLED_INTERVAL');
  if (usesRedis(env)) requireCredentialsKey(env, hub);
  const partitions = wholeNumbers(env, 'BATON_REDIS_PARTITIONS');
  const consume = wholeNumbers(env, 'BATON_WORKER_PARTITIONS');
  return {
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    // Both set is refused by the backend, with a message naming both.
    ...(env.REDIS_CLUSTER_NODES ? { redisCluster: { nodes: env.REDIS_CLUSTER_NODES.split(',') } } : {}),
    ...(env.BATON_REDIS_PREFIX ? { prefix: env.BATON_REDIS_PREFIX } : {}),
    ...(durability ? { durability: durability as DurabilityMode } : {}),
    ...(partitions ? { partitions: partitions[0]! } : {}),
    ...(retention
      ? {
          retention: {
            ...bound(retention),
            ...(retention.failed ? { failed: bound(retention.failed) } : {}),
          },
        }
      : {}),
    redis: {
      queue: {
        ...(lockDurationMs !== undefined ? { lockDurationMs } : {}),
        ...(stalledIntervalMs !== undefined ? { stalledIntervalMs } : {}),
      },
      // Start-stream entries of a dead worker are taken over on the same clock as its steps.
      ...(lockDurationMs !== undefined ? { claimIdleMs: lockDurationMs } : {}),
      ...(consume ? { consume } : {}),
      credentialKeys: {
        current: env.BATON_CREDENTIALS_KEY,
        previous: env.BATON_CREDENTIALS_KEY_PREVIOUS,
      },
    },
  };
}

/** True when the environment names a Redis server (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`). */
export function usesRedis(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.REDIS_URL || env.REDIS_CLUSTER_NODES);
}

/**
 * On Redis, OAuth2 tokens are shared by every process and kept only
 * encrypted: a hub with an OAuth2 instance and no key refuses to start,
 * rather than fail each of that instance's calls later.
 */
function requireCredentialsKey(env: NodeJS.ProcessEnv, hub: Hub): void {
  if (env.BATON_CREDENTIALS_KEY?.trim()) return;
  const oauth = [...hub.instances.values()].filter((instance) => instance.auth).map((i) => i.name);
  if (oauth.length === 0) return;
  const named = oauth.map((name) => `"${name}"`).join(', ');
  throw new BatonError(
    `${oauth.length === 1 ? 'connector instance' : 'connector instances'} ${named} use${oauth.length === 1 ? 's' : ''} OAuth2, and on Redis OAuth2 tokens are kept only encrypted: set BATON_CREDENTIALS_KEY (32 bytes as base64, such as the output of: openssl rand -base64 32) for every Baton process of the hub`,
    { code: 'CREDENTIALS_KEY_MISSING' },
  );
}

/** A retention bound of the config (`runs`, `maxAge`) as the backend takes it. */
function bound(given: { runs?: number | undefined; maxAge?: string | undefined }): {
  runs?: number;
  maxAgeMs?: number;
} {
  return {
    ...(given.runs !== undefined ? { runs: given.runs } : {}),
    ...(given.maxAge !== undefined ? { maxAgeMs: parseDuration(given.maxAge) } : {}),
  };
}

function duration(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  try {
    return parseDuration(value);
  } catch {
    throw new CliError('DURATION_INVALID', `${name} is "${value}"; use a duration such as 500ms, 10s or 1m`);
  }
}

/**
 * A comma-separated list of whole numbers (one for BATON_REDIS_PARTITIONS):
 * the backend checks the ranges, with the hub's count at hand.
 */
function wholeNumbers(env: NodeJS.ProcessEnv, name: string): number[] | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  const parts = value.split(',').map((part) => part.trim());
  const single = name === 'BATON_REDIS_PARTITIONS';
  if ((single && parts.length !== 1) || parts.some((part) => !/^\d{1,4}$/.test(part))) {
    throw new BatonError(
      single
        ? `BATON_REDIS_PARTITIONS is "${value}"; use a whole number such as 3 (the same for every process of the hub)`
        : `BATON_WORKER_PARTITIONS is "${value}"; list partition numbers such as 0,2`,
      { code: 'REDIS_PARTITIONS_INVALID' },
    );
  }
  return parts.map(Number);
}
