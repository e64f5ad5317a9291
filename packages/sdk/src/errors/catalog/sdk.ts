import type { ErrorCodeEntry } from './entry';

/** Codes the SDK produces while it calls connectors and the remote systems they talk to. */
export const SDK_CATALOG = {
  BATON_ERROR: { description: 'A Baton error without a more specific code.', retryable: false },
  RETRYABLE: {
    description: 'A connector reported a failure that may pass when tried again.',
    retryable: true,
  },
  NON_RETRYABLE: {
    description: 'A connector reported a failure that will not pass when tried again.',
    retryable: false,
  },
  // One code for both senders of "slow down": a remote system to a connector, the gateway to a webhook sender.
  RATE_LIMITED: {
    description:
      'A remote system throttled the call (HTTP 429) and the next attempt waits for its Retry-After; or a source sent the gateway more webhooks than its rate limit allows: retry after Retry-After seconds.',
    status: 429,
    retryable: true,
  },
  TIMEOUT: {
    description: 'The action did not finish within the step timeout, or its request timed out.',
    retryable: true,
  },
  VALIDATION_FAILED: { description: 'A value did not match its schema.', retryable: false },
  CONFIG_INVALID: {
    description:
      'A connector instance config in baton.config.json does not match the connector config schema; or baton.config.json does not match the config schema, so baton send cannot read its sources.',
    retryable: false,
  },
  INPUT_INVALID: {
    description: 'The input a step gave an action does not match the action input schema.',
    retryable: false,
  },
  OUTPUT_INVALID: {
    description: 'An action returned a value that does not match its output schema.',
    retryable: false,
  },
  ACTION_NOT_FOUND: { description: 'A step names an action the connector does not have.', retryable: false },
  NETWORK_ERROR: {
    description: 'The request got no answer: connection refused or reset, DNS failure.',
    retryable: true,
  },
  UNEXPECTED_ERROR: {
    description: 'A connector threw an error that is not a Baton error; treated as retryable.',
    retryable: true,
  },
  EGRESS_BLOCKED: {
    description:
      'A request to a loopback, private, link-local or metadata address was refused by the egress guard.',
    retryable: false,
  },
  REDIRECT_BLOCKED: {
    description: 'A cross-origin redirect was refused because the client carries credentials.',
    retryable: false,
  },
  CREDENTIALS_INVALID: {
    description:
      "The provider refused the connector instance's credentials: its OAuth2 token endpoint refused a refresh (the instance needs reconnecting: new credentials in its config), or the API refused a token it had just issued.",
    retryable: false,
  },
  CREDENTIALS_REFRESH_FAILED: {
    description:
      "The connector instance's OAuth2 token could not be fetched for a reason that may pass: the token endpoint was unreachable, timed out or answered 5xx or 429, or another process holding the refresh did not finish in time.",
    retryable: true,
  },
  // A family of codes (HTTP_404, HTTP_503 …): `retryable` is decided per status by `isRetryableStatus`.
  'HTTP_<status>': {
    description:
      'A remote system answered with this HTTP error status; 408, 425 and 5xx are retryable, other 4xx not.',
    retryable: false,
  },
} as const satisfies Record<string, ErrorCodeEntry>;
