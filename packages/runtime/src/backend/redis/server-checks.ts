import { BatonError } from '@baton/sdk';
import { Cluster } from 'ioredis';
import type { RedisClient } from './client';
import { guard } from './errors';

/** How durable an acknowledged write must be before the caller answers 2xx. */
export type DurabilityMode = 'default' | 'strict';

/** What Baton needs to know about a Redis server before trusting it. */
export interface ServerFacts {
  version: string;
  /** `maxmemory-policy`; undefined when neither INFO nor CONFIG shows it. */
  evictionPolicy?: string;
  aofEnabled: boolean;
  /** `appendfsync`; undefined when CONFIG is disabled. */
  appendfsync?: string;
}

export async function readServerFacts(redis: RedisClient): Promise<ServerFacts> {
  const [server, memory, persistence] = await guard(() =>
    Promise.all([redis.info('server'), redis.info('memory'), redis.info('persistence')]),
  );
  const info = { ...parseInfo(server), ...parseInfo(memory), ...parseInfo(persistence) };
  const evictionPolicy = info.maxmemory_policy ?? (await configGet(redis, 'maxmemory-policy'));
  const appendfsync = await configGet(redis, 'appendfsync');
  return {
    version: info.redis_version ?? '0.0.0',
    aofEnabled: info.aof_enabled === '1',
    ...(evictionPolicy !== undefined ? { evictionPolicy } : {}),
    ...(appendfsync !== undefined ? { appendfsync } : {}),
  };
}

/**
 * Decides whether Baton may run on this server, and how it confirms writes.
 * Refuses a server that may evict keys (an evicted key is a lost event or
 * run), and in strict mode one that cannot promise an acknowledged write is
 * on disk: RedisClient 7.2+ confirms each write with WAITAOF; older servers need
 * `appendonly yes` and `appendfsync always`.
 */
export function assessServer(
  facts: ServerFacts,
  durability: DurabilityMode,
): { waitAof: boolean; warnings: string[] } {
  const warnings: string[] = [];
  if (!versionAtLeast(facts.version, 6, 2)) {
    throw new BatonError(`Redis ${facts.version} is too old: Baton needs Redis 6.2 or later`, {
      code: 'REDIS_VERSION_UNSUPPORTED',
    });
  }
  if (facts.evictionPolicy === undefined) {
    warnings.push(
      'could not read maxmemory-policy (INFO and CONFIG are restricted on this server): make sure it is noeviction, or Redis may evict acknowledged events under memory pressure',
    );
  } else if (facts.evictionPolicy !== 'noeviction') {
    throw new BatonError(
      `Redis maxmemory-policy is "${facts.evictionPolicy}": under memory pressure Redis would evict keys and lose acknowledged events and runs. Set it to noeviction (maxmemory-policy noeviction in redis.conf, or CONFIG SET maxmemory-policy noeviction); Baton then answers 503 when Redis is full instead of losing data`,
      { code: 'REDIS_EVICTION_POLICY' },
    );
  }
  const server = `Redis ${facts.version} with appendonly ${facts.aofEnabled ? 'yes' : 'no'}, appendfsync ${facts.appendfsync ?? 'unknown (CONFIG is disabled)'}`;
  if (durability === 'strict') {
    if (versionAtLeast(facts.version, 7, 2)) {
      if (!facts.aofEnabled) {
        throw new BatonError(
          `strict durability waits for the append-only file (WAITAOF), but ${server}: set appendonly yes`,
          {
            code: 'REDIS_DURABILITY_UNMET',
          },
        );
      }
      return { waitAof: true, warnings };
    }
    if (!facts.aofEnabled || facts.appendfsync !== 'always') {
      throw new BatonError(
        `strict durability needs Redis 7.2+ (for WAITAOF) or appendonly yes with appendfsync always, but this is ${server}`,
        { code: 'REDIS_DURABILITY_UNMET' },
      );
    }
    return { waitAof: false, warnings };
  }
  if (!facts.aofEnabled) {
    warnings.push(
      `${server}: a Redis restart loses what was written since its last snapshot, acknowledged events included. Enable appendonly (see docs/operations/redis.md)`,
    );
  }
  return { waitAof: false, warnings };
}

/**
 * Reads and assesses the server, or on a Cluster every master (each must
 * pass; the first one's facts stand for all). WAITAOF confirms only the
 * writes of its own connection, which a Cluster client does not expose:
 * strict durability on a Cluster needs appendfsync always on every master.
 */
export async function checkServers(
  redis: RedisClient,
  durability: DurabilityMode,
): Promise<{ server: ServerFacts; waitAof: boolean; warnings: string[] }> {
  if (!(redis instanceof Cluster)) {
    const server = await readServerFacts(redis);
    return { server, ...assessServer(server, durability) };
  }
  const masters = await Promise.all(redis.nodes('master').map((node) => readServerFacts(node)));
  const warnings = new Set<string>();
  for (const facts of masters) {
    const assessment = assessServer(facts, durability);
    for (const warning of assessment.warnings) warnings.add(warning);
    if (assessment.waitAof && facts.appendfsync !== 'always') {
      throw new BatonError(
        `strict durability on a Redis Cluster needs appendonly yes with appendfsync always on every master (WAITAOF cannot be sent on a Cluster's connections), but a master runs Redis ${facts.version} with appendfsync ${facts.appendfsync ?? 'unknown (CONFIG is disabled)'}`,
        { code: 'REDIS_DURABILITY_UNMET' },
      );
    }
  }
  return { server: masters[0]!, waitAof: false, warnings: [...warnings] };
}

function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return fields;
}

/** A CONFIG value, or undefined when CONFIG is disabled or renamed (managed services do that). */
async function configGet(redis: RedisClient, name: string): Promise<string | undefined> {
  try {
    const [, value] = (await redis.config('GET', name)) as string[];
    return value;
  } catch {
    return undefined;
  }
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}
