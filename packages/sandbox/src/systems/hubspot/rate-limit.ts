import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** HubSpot's burst window: requests are counted over the last ten seconds. */
const WINDOW_MS = 10_000;

/**
 * HubSpot's `TEN_SECONDLY_ROLLING` limit, per access token: every answer
 * carries the `X-HubSpot-RateLimit-*` headers, and a request over the limit
 * gets HubSpot's 429 body with a `Retry-After` (seconds until the oldest
 * counted request leaves the window). Refused requests are not counted.
 * While `standsAside()` is true it neither counts nor refuses.
 */
export function tenSecondlyRolling(limit: number, { standsAside }: { standsAside: () => boolean }) {
  const seen = new Map<string, number[]>();

  const middleware: MiddlewareHandler = async (c, next) => {
    // A limit set through the control API is the one a test measures: two limits would blur it.
    if (standsAside()) return next();
    const token = c.req.header('authorization') ?? '';
    const now = Date.now();
    const recent = (seen.get(token) ?? []).filter((at) => now - at < WINDOW_MS);
    seen.set(token, recent);
    c.header('X-HubSpot-RateLimit-Interval-Milliseconds', String(WINDOW_MS));
    c.header('X-HubSpot-RateLimit-Max', String(limit));
    if (recent.length >= limit) {
      const waitMs = WINDOW_MS - (now - recent[0]!);
      c.header('X-HubSpot-RateLimit-Remaining', '0');
      c.header('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
      return c.json(
        {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: randomUUID(),
          policyName: 'TEN_SECONDLY_ROLLING',
          requestId: randomUUID(),
        },
        429,
      );
    }
    recent.push(now);
    c.header('X-HubSpot-RateLimit-Remaining', String(limit - recent.length));
    await next();
  };

  return { middleware, reset: () => seen.clear() };
}
