import type { ErrorCodeEntry } from './entry';

/** Codes the gateway answers webhooks and admin API requests with, and its start-up refusal. */
export const GATEWAY_CATALOG = {
  SOURCE_NOT_FOUND: {
    description:
      'No source with that name in baton.config.json (a webhook to /webhooks/<name>, or baton send naming it).',
    status: 404,
    retryable: false,
  },
  SIGNATURE_MISSING: {
    description: "The request has no signature header for the source's scheme.",
    status: 401,
    retryable: false,
  },
  SIGNATURE_INVALID: {
    description: "No signature matches the body and any of the source's secrets.",
    status: 401,
    retryable: false,
  },
  TIMESTAMP_OUT_OF_TOLERANCE: {
    description: 'The signed timestamp is too old or too far in the future (default tolerance 5 minutes).',
    status: 401,
    retryable: false,
  },
  BODY_TOO_LARGE: {
    description: "The body is larger than the source's limit (default 1 MiB).",
    status: 413,
    retryable: false,
  },
  UNSUPPORTED_MEDIA_TYPE: {
    description: 'A webhook body is neither JSON nor a URL-encoded form, or an admin API body is not JSON.',
    status: 415,
    retryable: false,
  },
  BODY_INVALID: {
    description: 'The body does not parse as its content type says.',
    status: 400,
    retryable: false,
  },
  BODY_TOO_DEEP: {
    description:
      "The JSON body (or triggered data) nests arrays and objects deeper than the source's limit (default 64 levels).",
    status: 400,
    retryable: false,
  },
  EVENT_ID_MISSING: {
    description: 'The scheme needs an event id (header or body field) and the request has none.',
    status: 400,
    retryable: false,
  },
  EVENT_TYPE_MISSING: {
    description: 'The scheme needs an event type (header or body field "type") and the request has none.',
    status: 400,
    retryable: false,
  },
  BACKLOG_FULL: {
    description: 'Too many runs are waiting to start; retry after Retry-After seconds.',
    status: 503,
    retryable: true,
  },
  UNAUTHORIZED: {
    description: 'The admin API needs Authorization: Bearer <BATON_API_TOKEN>.',
    status: 401,
    retryable: false,
  },
  HOST_NOT_ALLOWED: {
    description:
      'Without BATON_API_TOKEN the admin API, the dashboard and /metrics answer only a loopback Host (DNS rebinding).',
    status: 403,
    retryable: false,
  },
  ORIGIN_NOT_ALLOWED: {
    description:
      'Without BATON_API_TOKEN a state-changing admin API request from a page of another origin is refused.',
    status: 403,
    retryable: false,
  },
  NOT_FOUND: { description: 'No such route.', status: 404, retryable: false },
  REQUEST_INVALID: {
    description: 'The request body or query does not match the API schema.',
    status: 400,
    retryable: false,
  },
  RELOAD_INVALID: {
    description:
      'POST /api/reload (or SIGHUP): the edited config or flow files have diagnostics, so nothing was reloaded; the answer lists each one.',
    status: 400,
    retryable: false,
  },
  REPLAY_JOB_NOT_FOUND: {
    description:
      'GET /api/replays/:jobId: no bulk replay job with that id (or it expired, 7 days after it ended).',
    status: 404,
    retryable: false,
  },
  SHUTTING_DOWN: {
    description: 'The gateway is shutting down; retry on another instance.',
    status: 503,
    retryable: true,
  },
  BUSY: {
    description: 'The gateway is reading too many large bodies at once; retry after Retry-After seconds.',
    status: 503,
    retryable: true,
  },
  DASHBOARD_UNAVAILABLE: {
    description:
      "The dashboard's browser bundle could not be loaded (missing from dist: rebuild @baton/gateway).",
    status: 503,
    retryable: false,
  },
  // nginx's "client closed request": nobody reads the answer; the code is for logs and counters.
  CLIENT_CLOSED: {
    description: 'The client closed the connection before it had sent the whole body; nothing was done.',
    status: 499,
    retryable: true,
  },
  INTERNAL: { description: 'An unexpected error; the log has the details.', status: 500, retryable: true },
  SERVE_TOKEN_REQUIRED: {
    description: 'The gateway was asked to listen on a non-loopback address without BATON_API_TOKEN.',
    retryable: false,
  },
} as const satisfies Record<string, ErrorCodeEntry>;
