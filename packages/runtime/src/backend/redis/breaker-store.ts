import type { BreakerSnapshot, BreakerState, BreakerStore } from '../types';
import { guard } from './errors';
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';

/** A trial claim outlives any sane reset period; it only has to exist once per opening. */
const TRIAL_CLAIM_MS = 86_400_000;

/**
 * Breakers shared by every worker: one hash per connector instance
 * (`state`, `failures`, `openedAt`). Reads are cached for `cacheMs` so a
 * step does not pay a round trip for a closed breaker; this process's own
 * writes update the cache at once, other processes' show within `cacheMs`.
 * The half-open trial is claimed with SET NX, so exactly one caller across
 * all workers gets it.
 */
export class RedisBreakerStore implements BreakerStore {
  private readonly cache = new Map<string, { snapshot: BreakerSnapshot; at: number }>();

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    private readonly cacheMs: number,
  ) {}

  async get(name: string): Promise<BreakerSnapshot> {
    const cached = this.peek(name);
    if (cached) return cached;
    const hash = await guard(() => this.redis.hgetall(this.keys.breaker(name)));
    return this.remember(name, decode(hash));
  }

  peek(name: string): BreakerSnapshot | undefined {
    const cached = this.cache.get(name);
    return cached && Date.now() - cached.at < this.cacheMs ? cached.snapshot : undefined;
  }

  async recordFailure(name: string): Promise<number> {
    const [, [error, failures]] = (await guard(() =>
      this.redis
        .multi()
        .sadd(this.keys.breakers, name)
        .hincrby(this.keys.breaker(name), 'failures', 1)
        .exec(),
    )) as [unknown, [Error | null, number]];
    if (error) throw error;
    this.cache.delete(name);
    return failures;
  }

  async recordSuccess(name: string): Promise<void> {
    await guard(() =>
      this.redis
        .multi()
        .sadd(this.keys.breakers, name)
        .hset(this.keys.breaker(name), 'state', 'closed', 'failures', 0)
        .hdel(this.keys.breaker(name), 'openedAt')
        .exec(),
    );
    this.remember(name, { state: 'closed', failures: 0 });
  }

  async open(name: string, at: number): Promise<void> {
    const [, , [error, failures]] = (await guard(() =>
      this.redis
        .multi()
        .sadd(this.keys.breakers, name)
        .hset(this.keys.breaker(name), 'state', 'open', 'openedAt', at)
        .hget(this.keys.breaker(name), 'failures')
        .exec(),
    )) as [unknown, unknown, [Error | null, string | null]];
    if (error) throw error;
    this.remember(name, { state: 'open', failures: Number(failures ?? 0), openedAt: at });
  }

  async claimTrial(name: string, openedAt: number): Promise<boolean> {
    const claimed = await guard(() =>
      this.redis.set(this.keys.breakerTrial(name, openedAt), '1', 'PX', TRIAL_CLAIM_MS, 'NX'),
    );
    if (claimed !== 'OK') return false;
    await guard(() => this.redis.hset(this.keys.breaker(name), 'state', 'half-open'));
    this.cache.delete(name);
    return true;
  }

  async all(): Promise<Record<string, BreakerSnapshot>> {
    const names = await guard(() => this.redis.smembers(this.keys.breakers));
    const hashes = await guard(() =>
      Promise.all(names.map((name) => this.redis.hgetall(this.keys.breaker(name)))),
    );
    return Object.fromEntries(names.map((name, i) => [name, this.remember(name, decode(hashes[i]!))]));
  }

  private remember(name: string, snapshot: BreakerSnapshot): BreakerSnapshot {
    this.cache.set(name, { snapshot, at: Date.now() });
    return snapshot;
  }
}

function decode(hash: Record<string, string>): BreakerSnapshot {
  const state = (hash.state as BreakerState | undefined) ?? 'closed';
  return {
    state,
    failures: Number(hash.failures ?? 0),
    ...(hash.openedAt !== undefined && state !== 'closed' ? { openedAt: Number(hash.openedAt) } : {}),
  };
}
