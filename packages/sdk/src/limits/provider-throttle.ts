import { isBatonError } from '../errors/baton-error';
import type { HttpErrorResponse } from '../errors/http-error';
import { RateLimitedError } from '../errors/kinds';
import { parseRetryAfter } from '../errors/retry-after';
import { type HeaderSource, MAX_PAUSE_MS, parseRateLimitHeaders } from './rate-limit-headers';
import type { ProviderThrottle } from './types';

/**
 * How long a 429 that gives no hint at all (no `Retry-After`, no reset
 * header) pauses the instance: long enough to stop a burst, short enough
 * not to matter when the provider was only briefly unhappy.
 */
export const DEFAULT_THROTTLE_PAUSE_MS = 1000;

/**
 * What an HTTP answer says about the provider's limits, or undefined when
 * it says nothing. A 429 or 503 pauses for its `Retry-After`, else for its
 * rate-limit reset; a 429 with neither for one second (reported as
 * `retry-after`, the hint it lacked); a 503 with neither is an outage, not
 * throttling. Any other answer, a 2xx included, pauses until the reset when
 * its rate-limit headers say the budget is spent.
 */
export function throttleOfAnswer(
  status: number,
  headers: HeaderSource,
  now = Date.now(),
): ProviderThrottle | undefined {
  if (status === 429 || status === 503) {
    const hint = retryHintOf(status, headers, now);
    if (hint) return { ...hint, status };
    return status === 429 ? { pauseMs: DEFAULT_THROTTLE_PAUSE_MS, source: 'retry-after', status } : undefined;
  }
  const state = parseRateLimitHeaders(headers, now);
  if (state?.remaining === 0 && state.resetMs !== undefined && state.resetMs > 0) {
    return { pauseMs: state.resetMs, source: state.source, status };
  }
  return undefined;
}

/**
 * The wait a 429 or 503 asks for: its `Retry-After`, else the reset of its
 * rate-limit headers (whatever they say is remaining: the status already
 * says the budget is spent). Capped at 24 hours.
 */
export function retryHintOf(
  status: number,
  headers: HeaderSource,
  now = Date.now(),
): { pauseMs: number; source: ProviderThrottle['source'] } | undefined {
  if (status !== 429 && status !== 503) return undefined;
  const retryAfter = parseRetryAfter(headerValue(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return { pauseMs: Math.min(retryAfter, MAX_PAUSE_MS), source: 'retry-after' };
  const state = parseRateLimitHeaders(headers, now);
  if (state?.resetMs !== undefined && state.resetMs > 0)
    return { pauseMs: state.resetMs, source: state.source };
  return undefined;
}

/**
 * Recognises a thrown error as the provider throttling us: the `HttpError`
 * of a 429 (code `RATE_LIMITED`), the `HttpError` of a 503 that carried a
 * wait (`retryAfterMs`), or a `RateLimitedError` an action threw itself
 * (`source: 'action'`). Errors of any copy of the SDK, and errors rebuilt
 * from their serialized form, are recognised by code and status. Only the
 * error itself is looked at, not its causes: a connector that turned a 429
 * into another error decided it was something else.
 *
 * @example
 * ```ts
 * try {
 *   await instance.invoke(action, options);
 * } catch (error) {
 *   const throttle = throttleOf(error);
 *   if (throttle) pauseInstance(instance.name, throttle.pauseMs);
 *   throw error;
 * }
 * ```
 */
export function throttleOf(error: unknown): ProviderThrottle | undefined {
  if (!isBatonError(error)) return undefined;
  const status = statusOf(error);
  const wait =
    error.retryAfterMs === undefined ? undefined : Math.min(Math.max(0, error.retryAfterMs), MAX_PAUSE_MS);
  if (status === 429 || (status === 503 && wait !== undefined)) {
    const response = (error as { response?: HttpErrorResponse }).response;
    const hint = response ? retryHintOf(status, response.headers) : undefined;
    return { pauseMs: wait ?? DEFAULT_THROTTLE_PAUSE_MS, source: hint?.source ?? 'retry-after', status };
  }
  if (status === undefined && (error.code === 'RATE_LIMITED' || error instanceof RateLimitedError)) {
    return { pauseMs: wait ?? DEFAULT_THROTTLE_PAUSE_MS, source: 'action' };
  }
  return undefined;
}

/** The HTTP status of an error: `status` on an HttpError, `details.status` once serialized. */
function statusOf(error: { details?: Record<string, unknown> | undefined }): number | undefined {
  const own = (error as { status?: unknown }).status;
  const status = typeof own === 'number' ? own : error.details?.status;
  return typeof status === 'number' ? status : undefined;
}

function headerValue(headers: HeaderSource, name: string): unknown {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): unknown }).get(name);
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}
