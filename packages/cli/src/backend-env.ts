import { type CreateBackendOptions, type DurabilityMode, type Hub, parseDuration } from '@baton/runtime';
import { CliError } from './cli-error';

/**
 * The backend options a process takes from its environment and the hub
 * config: `REDIS_URL` picks Redis; `BATON_REDIS_PREFIX` (a key prefix with
 * a hash tag, default `{baton}`), `BATON_DURABILITY` (`default` or
 * `strict`), `BATON_LOCK_DURATION` and `BATON_STALLED_INTERVAL` (durations
 * such as `30s`: how soon a dead worker's steps are taken over) tune it;
 * `retention` comes from baton.config.json.
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
  return {
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(env.BATON_REDIS_PREFIX ? { prefix: env.BATON_REDIS_PREFIX } : {}),
    ...(durability ? { durability: durability as DurabilityMode } : {}),
    ...(retention
      ? {
          retention: {
            ...(retention.runs !== undefined ? { runs: retention.runs } : {}),
            ...(retention.maxAge !== undefined ? { maxAgeMs: parseDuration(retention.maxAge) } : {}),
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
    },
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
