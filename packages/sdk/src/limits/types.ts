/**
 * A provider's limits, as a connector declares them (its documented quotas)
 * and as `baton.config.json` overrides them per instance. Every flow and
 * every worker that uses one instance shares its budget.
 */
export interface ConnectorLimits {
  /**
   * At most `requests` calls in any window of `per` (a duration such as
   * "10s", or milliseconds). `false` in a config turns a declared default off.
   */
  rate?: { requests: number; per: string | number } | false;
  /** At most this many calls in flight at once. `false` in a config turns a declared default off. */
  concurrency?: number | false;
}

/**
 * What a provider told us about its limits: pause every call to the
 * instance for `pauseMs`. From a 429 or 503 with `Retry-After`, or from
 * rate-limit headers (`X-RateLimit-Remaining: 0` with `X-RateLimit-Reset`,
 * the IETF `RateLimit` / `RateLimit-Remaining` / `RateLimit-Reset` fields).
 */
export interface ProviderThrottle {
  pauseMs: number;
  /** Which signal said so. */
  source: 'retry-after' | 'x-ratelimit' | 'ratelimit' | 'action';
  /** The HTTP status of the answer that carried it, when there was one. */
  status?: number;
}
