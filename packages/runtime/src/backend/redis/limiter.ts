import type { RateLimiter } from '../types';
import { guard } from './errors';
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * Fixed-window counters shared by every gateway: one key per window, INCR
 * and PEXPIRE in one transaction. Windows follow each process's clock, so
 * skewed clocks shift a window by the skew, never more.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
  ) {}

  async take(key: string, limit: number, windowMs: number) {
    const now = Date.now();
    const start = now - (now % windowMs);
    const windowKey = this.keys.rateWindow(key, start);
    const count = await guard(async () => {
      const result = await this.redis.multi().incr(windowKey).pexpire(windowKey, windowMs).exec();
      const [[error, incremented]] = result as [[Error | null, number]];
      if (error) throw error;
      return incremented;
    });
    if (count <= limit) return { allowed: true, retryAfterMs: 0 };
    return { allowed: false, retryAfterMs: start + windowMs - now };
  }
}
