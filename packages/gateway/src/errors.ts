import type { Context } from 'hono';

/**
 * Every error code the gateway answers with, and its HTTP status: the one
 * table that maps intent to HTTP.
 */
export const GATEWAY_ERROR_STATUS = {
  SOURCE_NOT_FOUND: 404,
  SIGNATURE_MISSING: 401,
  SIGNATURE_INVALID: 401,
  TIMESTAMP_OUT_OF_TOLERANCE: 401,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_INVALID: 400,
  BODY_TOO_DEEP: 400,
  EVENT_ID_MISSING: 400,
  EVENT_TYPE_MISSING: 400,
  RATE_LIMITED: 429,
  BACKLOG_FULL: 503,
  BACKEND_UNAVAILABLE: 503,
  DURABILITY_TIMEOUT: 503,
  UNAUTHORIZED: 401,
  HOST_NOT_ALLOWED: 403,
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  FLOW_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  RUN_NOT_REPLAYABLE: 409,
  RUN_ALREADY_ENDED: 409,
  RUN_WAIT_TIMEOUT: 504,
  REQUEST_INVALID: 400,
  SHUTTING_DOWN: 503,
  BUSY: 503,
  DASHBOARD_UNAVAILABLE: 503,
  // nginx's "client closed request": nobody reads the answer; the code is for logs and counters.
  CLIENT_CLOSED: 499,
  INTERNAL: 500,
} as const;

export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_STATUS;

/** What each code means, for the troubleshooting guide. */
export const GATEWAY_ERROR_CODES: Record<GatewayErrorCode, string> = {
  SOURCE_NOT_FOUND: 'No source with that name in baton.config.json.',
  SIGNATURE_MISSING: "The request has no signature header for the source's scheme.",
  SIGNATURE_INVALID: "No signature matches the body and any of the source's secrets.",
  TIMESTAMP_OUT_OF_TOLERANCE:
    'The signed timestamp is too old or too far in the future (default tolerance 5 minutes).',
  BODY_TOO_LARGE: "The body is larger than the source's limit (default 1 MiB).",
  UNSUPPORTED_MEDIA_TYPE:
    'A webhook body is neither JSON nor a URL-encoded form, or an admin API body is not JSON.',
  BODY_INVALID: 'The body does not parse as its content type says.',
  BODY_TOO_DEEP:
    "The JSON body (or triggered data) nests arrays and objects deeper than the source's limit (default 64 levels).",
  EVENT_ID_MISSING: 'The scheme needs an event id (header or body field) and the request has none.',
  EVENT_TYPE_MISSING:
    'The scheme needs an event type (header or body field "type") and the request has none.',
  RATE_LIMITED: 'The source sent more webhooks than its rate limit allows; retry after Retry-After seconds.',
  BACKLOG_FULL: 'Too many runs are waiting to start; retry after Retry-After seconds.',
  BACKEND_UNAVAILABLE:
    'The backend (Redis) cannot be reached; retry after Retry-After seconds. A webhook answered so was not acknowledged.',
  DURABILITY_TIMEOUT:
    'Strict mode: Redis did not confirm the write is on disk in time; retry after Retry-After seconds (a webhook was not acknowledged).',
  UNAUTHORIZED: 'The admin API needs Authorization: Bearer <BATON_API_TOKEN>.',
  HOST_NOT_ALLOWED:
    'Without BATON_API_TOKEN the admin API, the dashboard and /metrics answer only a loopback Host (DNS rebinding).',
  ORIGIN_NOT_ALLOWED:
    'Without BATON_API_TOKEN a state-changing admin API request from a page of another origin is refused.',
  NOT_FOUND: 'No such route.',
  FLOW_NOT_FOUND: 'No flow with that id is loaded.',
  RUN_NOT_FOUND: 'No run with that id (or it was dropped by retention).',
  RUN_NOT_REPLAYABLE: 'Only failed or cancelled runs can be replayed.',
  RUN_ALREADY_ENDED: 'The run already ended; it cannot be cancelled.',
  RUN_WAIT_TIMEOUT: 'The run did not end within the time given to wait for it.',
  REQUEST_INVALID: 'The request body or query does not match the API schema.',
  SHUTTING_DOWN: 'The gateway is shutting down; retry on another instance.',
  BUSY: 'The gateway is reading too many large bodies at once; retry after Retry-After seconds.',
  DASHBOARD_UNAVAILABLE:
    "The dashboard's browser bundle could not be loaded (missing from dist: rebuild @baton/gateway).",
  CLIENT_CLOSED: 'The client closed the connection before it had sent the whole body; nothing was done.',
  INTERNAL: 'An unexpected error; the log has the details.',
};

/** An error the gateway answers as `{ error: { code, message } }` with the status of its code. */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return GATEWAY_ERROR_STATUS[this.code];
  }
}

/** The JSON answer for an error, with `Retry-After` when it has one. */
export function errorResponse(c: Context, error: GatewayError): Response {
  if (error.retryAfterSeconds !== undefined)
    c.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  return c.json({ error: { code: error.code, message: error.message } }, error.status as 400);
}
