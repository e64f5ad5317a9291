import { HTTPException } from 'hono/http-exception';
import { GatewayError, type GatewayErrorCode } from '../errors';

/** Hono's own client-error statuses, as our codes. */
const CODE_OF_STATUS: Record<number, GatewayErrorCode> = {
  400: 'BODY_INVALID',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The `HTTPException` that Hono and zod-openapi throw for bad input (415 for
 * a content type a route does not declare, 400 for malformed JSON) as a
 * `GatewayError`, so a route that lets them check its body still answers
 * a 4xx with our error body instead of a 500; undefined for anything else.
 */
export function httpExceptionAsGatewayError(error: unknown): GatewayError | undefined {
  if (!(error instanceof HTTPException)) return undefined;
  const code = CODE_OF_STATUS[error.status];
  if (!code) return undefined;
  return new GatewayError(code, error.message || `the request was refused (${error.status})`, {
    cause: error,
  });
}
