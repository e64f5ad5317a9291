import { HttpError, NonRetryableError, RateLimitedError } from '@baton/sdk';

interface HubspotErrorBody {
  message?: string;
  category?: string;
  correlationId?: string;
  policyName?: string;
  errors?: Array<{ message?: string; code?: string }>;
}

/** HubSpot's burst window; a 429 without `Retry-After` on this policy waits it out. */
const TEN_SECONDS_MS = 10_000;

/**
 * Maps a failed HubSpot call (`{ status: "error", message, correlationId,
 * category }`) to what the runtime should do:
 * - 400/401/403/404/409: not retried, code `HUBSPOT_<CATEGORY>` (such as
 *   `HUBSPOT_VALIDATION_ERROR`, `HUBSPOT_CONFLICT`, `HUBSPOT_OBJECT_NOT_FOUND`)
 * - 429 `TEN_SECONDLY_ROLLING` (or any 429 with `Retry-After`): retried after
 *   `Retry-After`, or after the ten-second window when it is absent
 * - 429 `DAILY`: not retried (`HUBSPOT_DAILY_LIMIT`); it resets at midnight
 * - 5xx and network failures: retryable as the SDK classified them
 */
export function hubspotError(error: unknown, what: string): unknown {
  if (!(error instanceof HttpError) || error.status === undefined) return error;
  const body = (error.response?.data ?? {}) as HubspotErrorBody;
  const message = typeof body.message === 'string' ? `: ${body.message}` : '';
  const details = {
    status: error.status,
    ...(typeof body.category === 'string' ? { category: body.category } : {}),
    ...(typeof body.correlationId === 'string' ? { correlationId: body.correlationId } : {}),
    ...(body.errors?.[0]?.code ? { errorCode: body.errors[0].code } : {}),
  };
  if (error.status === 429) {
    if (body.policyName === 'DAILY') {
      return new NonRetryableError(`HubSpot's daily API limit is used up${message}`, {
        code: 'HUBSPOT_DAILY_LIMIT',
        cause: error,
        details,
      });
    }
    return new RateLimitedError(`HubSpot throttled the call to ${what}${message}`, {
      code: 'HUBSPOT_RATE_LIMITED',
      cause: error,
      details,
      retryAfterMs: error.retryAfterMs ?? TEN_SECONDS_MS,
    });
  }
  if (![400, 401, 403, 404, 409].includes(error.status)) return error;
  const fallback = {
    400: 'VALIDATION_ERROR',
    401: 'INVALID_AUTHENTICATION',
    403: 'MISSING_SCOPES',
    404: 'OBJECT_NOT_FOUND',
    409: 'CONFLICT',
  }[error.status as 400 | 401 | 403 | 404 | 409];
  const category =
    typeof body.category === 'string' && /^[A-Z_]+$/.test(body.category) ? body.category : fallback;
  return new NonRetryableError(`HubSpot refused to ${what}${message}`, {
    code: `HUBSPOT_${category}`,
    cause: error,
    details,
  });
}
