import { HttpError, NonRetryableError, RateLimitedError, RetryableError } from '@baton/sdk';

/**
 * Maps a failed Shippo call. Shippo answers errors the Django REST way,
 * `{ "detail": "…" }` or field names with lists of messages; those become
 * the error message. 400/422 are `INVALID_REQUEST`, 401/403
 * `AUTHENTICATION_FAILED`, 404 `NOT_FOUND`, 409 `CONFLICT`, none retried;
 * 429 waits for `Retry-After`; 5xx keeps the SDK's retryable error.
 */
export function fromShippoFailure(error: unknown): unknown {
  if (!(error instanceof HttpError) || error.status === undefined) return error;
  const status = error.status;
  const said = describe(error.response?.data);
  const details = { status };
  if (status === 429) {
    const message = `Shippo rate limit reached${said}`;
    return error.retryAfterMs === undefined
      ? new RetryableError(message, { code: 'RATE_LIMITED', cause: error, details })
      : new RateLimitedError(message, { retryAfterMs: error.retryAfterMs, cause: error, details });
  }
  if (error.retryable) return error;
  const code =
    status === 401 || status === 403
      ? 'AUTHENTICATION_FAILED'
      : status === 404
        ? 'NOT_FOUND'
        : status === 409
          ? 'CONFLICT'
          : status === 400 || status === 422
            ? 'INVALID_REQUEST'
            : `HTTP_${status}`;
  return new NonRetryableError(`Shippo answered ${status}${said}`, { code, cause: error, details });
}

/** `: detail` or `: field: message; parcels[0].weight: message`, short. */
function describe(data: unknown): string {
  const parts: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (parts.length >= 8) return;
    if (typeof value === 'string') parts.push(path && path !== 'detail' ? `${path}: ${value}` : value);
    else if (Array.isArray(value)) {
      for (const [index, item] of value.entries())
        walk(item, typeof item === 'string' ? path : `${path}[${index}]`);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
    }
  };
  walk(data, '');
  const text = parts.map((part) => part.slice(0, 200)).join('; ');
  return text ? `: ${text}` : '';
}
