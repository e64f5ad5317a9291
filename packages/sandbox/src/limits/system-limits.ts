import { ArrivalLog, maxInAnyWindow } from './arrivals';

/** Which headers tell a client about the limit. */
export type RateLimitHeaders = 'retry-after' | 'x-ratelimit' | 'ietf' | 'none';

/** A sliding-window limit on one system: at most `requests` in any `per` milliseconds. */
export interface SystemRateLimit {
  requests: number;
  /** The window, in milliseconds. */
  per: number;
  /**
   * Seconds a refused client is told to wait.
   * @default the seconds until a slot frees, rounded up, at least 1
   */
  retryAfter?: number | undefined;
  /**
   * `retry-after`: `Retry-After` on a 429; `x-ratelimit`: `X-RateLimit-Limit`,
   * `-Remaining` and `-Reset` on every answer; `ietf`: `RateLimit-Limit`,
   * `-Remaining` and `-Reset` on every answer; `none`: a bare 429.
   * @default 'retry-after'
   */
  headers: RateLimitHeaders;
}

/** A provider-wide pause: every request gets `status` until `until`. */
export interface SystemPause {
  status: 429 | 503;
  /** Epoch ms. */
  until: number;
}

/** What happened to one request at the door of a system. */
export type Admission =
  | { admitted: true; headers: Record<string, string> }
  | {
      admitted: false;
      reason: 'rate-limit-window' | 'pause';
      status: 429 | 503;
      message: string;
      headers: Record<string, string>;
    };

/** What `GET /_sandbox/limits/:system` answers. */
export interface SystemLimitStats {
  limit: SystemRateLimit | null;
  pause: { status: 429 | 503; until: string; retryAfter: number } | null;
  accepted: number;
  rejected: number;
  /** The most accepted requests in any half-open window of `per` ms. */
  maxInAnyWindow: number;
  /** The window `maxInAnyWindow` was computed over, in ms. */
  per: number;
  /** Epoch ms of the accepted requests, oldest first, the last 10 000. */
  arrivals: number[];
}

/** The window statistics use when no limit ever said one. */
const DEFAULT_STATS_WINDOW_MS = 1000;

class SystemCounters {
  limit: SystemRateLimit | undefined;
  pause: SystemPause | undefined;
  /** The `per` of the latest limit set, kept after it is removed, for the statistics. */
  lastPer: number | undefined;
  readonly arrivals = new ArrivalLog();
  accepted = 0;
  rejected = 0;
}

/**
 * The rate limits and pauses of every system, and what they let through.
 * Every request to a system is counted, limited or not, so a test can also
 * measure what a client sent to a system that never refused anything.
 */
export class SystemLimits {
  private readonly bySystem = new Map<string, SystemCounters>();

  /** Sets (or replaces) the limit of `system`. */
  set(system: string, limit: SystemRateLimit): void {
    const counters = this.of(system);
    counters.limit = limit;
    counters.lastPer = limit.per;
  }

  /** The limit set on `system`, if any. */
  limitOf(system: string): SystemRateLimit | undefined {
    return this.bySystem.get(system)?.limit;
  }

  /** Every limit set, by system. */
  all(): Record<string, SystemRateLimit> {
    const limits: Record<string, SystemRateLimit> = {};
    for (const [system, counters] of this.bySystem) if (counters.limit) limits[system] = counters.limit;
    return limits;
  }

  /** Removes the limit and any pause of `system`; its statistics stay. */
  remove(system: string): void {
    const counters = this.bySystem.get(system);
    if (!counters) return;
    counters.limit = undefined;
    counters.pause = undefined;
  }

  /** Refuses every request to `system` with `status` for `seconds` from `now`. */
  pause(system: string, seconds: number, status: 429 | 503, now = Date.now()): SystemPause {
    const pause = { status, until: now + seconds * 1000 };
    this.of(system).pause = pause;
    return pause;
  }

  /**
   * Decides whether a request arriving `now` may reach `system`, and counts
   * it. A refused request does not take a place in the window.
   */
  admit(system: string, now = Date.now()): Admission {
    const counters = this.of(system);
    const { pause, limit } = counters;
    if (pause && now < pause.until) {
      counters.rejected += 1;
      const seconds = secondsUntil(pause.until, now);
      return {
        admitted: false,
        reason: 'pause',
        status: pause.status,
        message: `sandbox: ${system} is paused for another ${seconds} s`,
        headers: { 'Retry-After': String(seconds) },
      };
    }
    if (pause) counters.pause = undefined;
    if (limit && counters.arrivals.countWithin(now, limit.per) >= limit.requests) {
      counters.rejected += 1;
      // The window has room again once the `requests`-th newest arrival leaves it.
      const frees = counters.arrivals.newest(limit.requests)! + limit.per;
      const seconds = limit.retryAfter ?? secondsUntil(frees, now);
      return {
        admitted: false,
        reason: 'rate-limit-window',
        status: 429,
        message: `sandbox: ${system} allows ${limit.requests} requests per ${limit.per} ms; retry in ${seconds} s`,
        headers: refusalHeaders(limit, seconds),
      };
    }
    counters.arrivals.record(now);
    counters.accepted += 1;
    if (!limit) return { admitted: true, headers: {} };
    const count = counters.arrivals.countWithin(now, limit.per);
    const oldest = counters.arrivals.newest(count)!;
    return {
      admitted: true,
      headers: quotaHeaders(limit, limit.requests - count, secondsUntil(oldest + limit.per, now)),
    };
  }

  /** The statistics of `system`; `per` overrides the window `maxInAnyWindow` is computed over. */
  stats(system: string, per?: number, now = Date.now()): SystemLimitStats {
    const counters = this.bySystem.get(system) ?? new SystemCounters();
    const window = per ?? counters.limit?.per ?? counters.lastPer ?? DEFAULT_STATS_WINDOW_MS;
    const arrivals = counters.arrivals.list();
    const pause = counters.pause && now < counters.pause.until ? counters.pause : undefined;
    return {
      limit: counters.limit ?? null,
      pause: pause
        ? {
            status: pause.status,
            until: new Date(pause.until).toISOString(),
            retryAfter: secondsUntil(pause.until, now),
          }
        : null,
      accepted: counters.accepted,
      rejected: counters.rejected,
      maxInAnyWindow: maxInAnyWindow(arrivals, window),
      per: window,
      arrivals,
    };
  }

  /** Forgets every limit, pause and count. */
  reset(): void {
    this.bySystem.clear();
  }

  private of(system: string): SystemCounters {
    let counters = this.bySystem.get(system);
    if (!counters) {
      counters = new SystemCounters();
      this.bySystem.set(system, counters);
    }
    return counters;
  }
}

/** Whole seconds until `at`, rounded up, at least 1. */
function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}

function refusalHeaders(limit: SystemRateLimit, seconds: number): Record<string, string> {
  if (limit.headers === 'retry-after') return { 'Retry-After': String(seconds) };
  return quotaHeaders(limit, 0, seconds);
}

function quotaHeaders(limit: SystemRateLimit, remaining: number, reset: number): Record<string, string> {
  const prefix =
    limit.headers === 'x-ratelimit' ? 'X-RateLimit' : limit.headers === 'ietf' ? 'RateLimit' : '';
  if (!prefix) return {};
  return {
    [`${prefix}-Limit`]: String(limit.requests),
    [`${prefix}-Remaining`]: String(remaining),
    [`${prefix}-Reset`]: String(reset),
  };
}
