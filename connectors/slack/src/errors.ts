import { HttpError, NonRetryableError, parseRetryAfter, RateLimitedError, RetryableError } from '@baton/sdk';

/**
 * Web API errors that mean "Slack had trouble, try again". Every other
 * `ok: false` answer is about the request and will fail the same way again.
 */
const TRANSIENT_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Slack's error strings are short snake_case words; anything else is not one. */
const SLACK_ERROR = /^[a-z][a-z0-9_]{1,63}$/;

/**
 * Turns a Web API `{ ok: false, error }` answer (HTTP 200, Slack's usual
 * way) into an error whose `code` is Slack's error string.
 */
export function webApiError(
  method: string,
  error: string,
  headers: Record<string, unknown> = {},
): NonRetryableError | RetryableError {
  const message = `Slack ${method} failed: ${error}`;
  if (error === 'ratelimited' || error === 'rate_limited') {
    const retryAfterMs = parseRetryAfter(stringHeader(headers['retry-after'])) ?? 1000;
    return new RateLimitedError(message, { retryAfterMs, details: { slackError: error } });
  }
  if (TRANSIENT_ERRORS.has(error)) return new RetryableError(message, { code: error });
  return new NonRetryableError(message, { code: error });
}

/**
 * Maps a failed `chat.postMessage` call. Throttling and server errors keep
 * the SDK's classification (retryable, `Retry-After` honoured); a 4xx that
 * carries a Slack error string is reported with that string as its code.
 */
export function fromWebApiFailure(method: string, error: unknown): unknown {
  if (!(error instanceof HttpError) || error.retryable) return error;
  const data = error.response?.data as { ok?: unknown; error?: unknown } | undefined;
  if (data?.ok === false && typeof data.error === 'string' && SLACK_ERROR.test(data.error)) {
    return webApiError(method, data.error, error.response?.headers);
  }
  return error;
}

/**
 * Maps a failed incoming-webhook post. Slack answers a status and a short
 * plain-text reason (400 `invalid_payload`, 404 `no_service`, 410
 * `channel_is_archived` …); the reason becomes the code of a non-retryable
 * error. Throttling and server errors stay retryable.
 */
export function fromWebhookFailure(error: unknown): unknown {
  if (!(error instanceof HttpError) || error.retryable) return error;
  const body = error.response?.data;
  const reason = typeof body === 'string' ? body.trim() : '';
  const code = SLACK_ERROR.test(reason) ? reason : `HTTP_${error.status}`;
  return new NonRetryableError(`Slack refused the webhook message: ${code} (HTTP ${error.status})`, {
    code,
    cause: error,
  });
}

function stringHeader(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
