import type { RateLimiter } from '../types';

/** Fixed-window counters in process memory. */
export class EmbeddedRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(key: string, limit: number, windowMs: number) {
    const now = this.now();
    const start = now - (now % windowMs);
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= limit) return { allowed: true, retryAfterMs: 0 };
    return { allowed: false, retryAfterMs: start + windowMs - now };
  }
}
