import { isBatonError } from '@baton/sdk';
import { httpExceptionAsGatewayError } from './api/http-exception';
import { type AnswerableError, GatewayError, isAnswerable } from './errors';

/** Who is told: a webhook's sender (whose event was not acknowledged) or an API caller. */
export type Asker = 'webhook' | 'request';

/**
 * The backend's refusals the gateway answers with 503 and `Retry-After`
 * (seconds), and what it says to each asker. Never the backend's own
 * message: it names Redis's address.
 */
const BACKEND_REFUSALS = {
  BACKEND_UNAVAILABLE: {
    retryAfterSeconds: 5,
    webhook:
      'the backend cannot be reached; the event was not acknowledged: send it again after Retry-After seconds',
    request: 'the backend cannot be reached; retry after Retry-After seconds',
  },
  DURABILITY_TIMEOUT: {
    retryAfterSeconds: 1,
    webhook:
      'the backend did not confirm in time that the event is on disk; it was not acknowledged: send it again after Retry-After seconds',
    request: 'the backend did not confirm in time that the write is on disk; retry after Retry-After seconds',
  },
} as const;

/**
 * The answer for an error thrown while handling a request, when the
 * gateway knows it: a refusal of the backend (`BACKEND_UNAVAILABLE` from any
 * backend call: ingest, the rate limiter, the backlog check, run reads,
 * trigger, replay, cancel; `DURABILITY_TIMEOUT` in strict mode) as 503 with
 * `Retry-After` and a fixed message (never the backend's own: it names
 * Redis's address); any other Baton error whose code has an HTTP status in
 * the catalog (a GatewayError, an engine refusal such as RUN_NOT_FOUND) as
 * it is; Hono's own 4xx as our codes. Errors are recognised by marker and
 * code, not by class, since a process may load two copies of `@baton/sdk`.
 * An outage is not logged here: the backend logs it once, not once per
 * request. Anything else is undefined: a bug, which the caller logs and
 * answers with 500.
 */
export function knownFailure(error: unknown, asker: Asker = 'request'): AnswerableError | undefined {
  if (isBatonError(error) && Object.hasOwn(BACKEND_REFUSALS, error.code)) {
    const code = error.code as keyof typeof BACKEND_REFUSALS;
    const refusal = BACKEND_REFUSALS[code];
    return new GatewayError(code, refusal[asker], {
      retryAfterSeconds: refusal.retryAfterSeconds,
      cause: error,
    });
  }
  if (isAnswerable(error)) return error;
  return httpExceptionAsGatewayError(error);
}
