import { BatonError, isBatonError } from '@baton/sdk';
import { errorDescriptions, HTTP_ERROR_STATUS, type HttpErrorCode, isCatalogCode } from '@baton/sdk/host';
import type { Context } from 'hono';

/** A code the gateway answers with: every code of `ERROR_CATALOG` (in `@baton/sdk`) that has an HTTP status. */
export type GatewayErrorCode = HttpErrorCode;

/** Every code the gateway answers with, and its HTTP status: a view of `ERROR_CATALOG`. */
export const GATEWAY_ERROR_STATUS: Readonly<Record<GatewayErrorCode, number>> = HTTP_ERROR_STATUS;

/** What each code the gateway answers with means: a view of `ERROR_CATALOG`. */
export const GATEWAY_ERROR_CODES = errorDescriptions(Object.keys(HTTP_ERROR_STATUS) as GatewayErrorCode[]);

/** An error the gateway answers as `{ error: { code, message } }` with the status of its code. */
export class GatewayError extends BatonError {
  declare readonly code: GatewayErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, {
      code,
      cause: options.cause,
      ...(options.retryAfterSeconds === undefined ? {} : { retryAfterMs: options.retryAfterSeconds * 1000 }),
    });
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return HTTP_ERROR_STATUS[this.code];
  }
}

/** A Baton error the gateway can answer as it is: its code has an HTTP status in the catalog. */
export type AnswerableError = BatonError & { code: GatewayErrorCode; retryAfterSeconds?: number | undefined };

/** True for a Baton error (from any copy of the SDK) whose code has an HTTP status. */
export function isAnswerable(error: unknown): error is AnswerableError {
  return isBatonError(error) && isCatalogCode(error.code) && Object.hasOwn(HTTP_ERROR_STATUS, error.code);
}

/** The JSON answer for an error, with the status of its code and `Retry-After` when it has one. */
export function errorResponse(c: Context, error: AnswerableError): Response {
  const seconds =
    error.retryAfterSeconds ?? (error.retryAfterMs === undefined ? undefined : error.retryAfterMs / 1000);
  if (seconds !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(seconds))));
  return c.json(
    { error: { code: error.code, message: error.message } },
    HTTP_ERROR_STATUS[error.code] as 400,
  );
}
