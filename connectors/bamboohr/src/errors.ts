import { HttpError, NonRetryableError } from '@baton/sdk';

/**
 * Maps a failed BambooHR call to what the runtime should do. BambooHR puts
 * the reason in the `X-BambooHR-Error-Message` header; 400, 401, 403 and
 * 404 will fail again and are not retried. 429, 5xx and network failures
 * stay retryable as the SDK classified them (BambooHR throttles with 503 and
 * `Retry-After`, which the SDK honours).
 */
export function bambooError(error: unknown, what: string): unknown {
  if (!(error instanceof HttpError) || error.status === undefined) return error;
  const reason = error.response?.headers['x-bamboohr-error-message'];
  const because = reason ? `: ${reason}` : '';
  const options = (code: string) => ({ code, cause: error, details: { status: error.status } });
  switch (error.status) {
    case 400:
      return new NonRetryableError(`BambooHR refused to ${what}${because}`, options('BAMBOOHR_BAD_REQUEST'));
    case 401:
      return new NonRetryableError(
        `BambooHR rejected the API key while trying to ${what}${because}`,
        options('BAMBOOHR_UNAUTHORIZED'),
      );
    case 403:
      return new NonRetryableError(`The API key may not ${what}${because}`, options('BAMBOOHR_FORBIDDEN'));
    case 404:
      return new NonRetryableError(
        `BambooHR found nothing to ${what}${because}`,
        options('BAMBOOHR_NOT_FOUND'),
      );
    default:
      return error;
  }
}
