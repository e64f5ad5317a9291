import { isBatonError } from '@baton/sdk';
import { GatewayError } from './errors';

/** How long a client is asked to wait while the backend cannot be reached, in seconds. */
export const BACKEND_RETRY_AFTER_SECONDS = 5;

/**
 * The answer for an error thrown while handling a request, when the
 * gateway knows it: a GatewayError as it is, and the backend being
 * unavailable (a `BACKEND_UNAVAILABLE` error from any backend call: ingest,
 * the rate limiter, the backlog check, run reads, trigger, replay, cancel)
 * as 503 with `Retry-After`. The backend is recognised by its error code,
 * not by class, since a process may load two copies of `@baton/sdk`; the
 * answer never carries its message, which names Redis's address. The
 * outage is not logged here: the backend logs it once, not once per
 * request. Anything else is undefined: a bug, which the caller logs and
 * answers with 500.
 */
export function knownFailure(
  error: unknown,
  unavailableMessage = 'the backend cannot be reached; retry after Retry-After seconds',
): GatewayError | undefined {
  if (error instanceof GatewayError) return error;
  if (isBatonError(error) && error.code === 'BACKEND_UNAVAILABLE') {
    return new GatewayError('BACKEND_UNAVAILABLE', unavailableMessage, {
      retryAfterSeconds: BACKEND_RETRY_AFTER_SECONDS,
      cause: error,
    });
  }
  return undefined;
}
