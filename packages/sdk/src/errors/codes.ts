/**
 * Every error code the SDK itself produces, with what it means. The
 * troubleshooting guide is checked against this list.
 */
export const SDK_ERROR_CODES = {
  BATON_ERROR: 'A Baton error without a more specific code.',
  RETRYABLE: 'A connector reported a failure that may pass when tried again.',
  NON_RETRYABLE: 'A connector reported a failure that will not pass when tried again.',
  RATE_LIMITED:
    'The remote system throttled the call (HTTP 429); the next attempt waits for its Retry-After.',
  TIMEOUT: 'The action did not finish within the step timeout, or its request timed out.',
  VALIDATION_FAILED: 'A value did not match its schema.',
  CONFIG_INVALID:
    'A connector instance config in baton.config.json does not match the connector config schema.',
  INPUT_INVALID: 'The input a step gave an action does not match the action input schema.',
  OUTPUT_INVALID: 'An action returned a value that does not match its output schema.',
  ACTION_NOT_FOUND: 'A step names an action the connector does not have.',
  NETWORK_ERROR: 'The request got no answer: connection refused or reset, DNS failure.',
  UNEXPECTED_ERROR: 'A connector threw an error that is not a Baton error; treated as retryable.',
  EGRESS_BLOCKED:
    'A request to a loopback, private, link-local or metadata address was refused by the egress guard.',
  REDIRECT_BLOCKED: 'A cross-origin redirect was refused because the client carries credentials.',
  'HTTP_<status>':
    'A remote system answered with this HTTP error status; 408, 425 and 5xx are retryable, other 4xx not.',
} as const;
