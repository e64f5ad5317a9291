import { BatonError, type BatonErrorOptions } from './baton-error';

type Options = Omit<BatonErrorOptions, 'retryable'>;

/**
 * A failure that may pass if tried again: a flaky network, an overloaded
 * server. The runtime retries it under the step's retry policy.
 */
export class RetryableError extends BatonError {
  constructor(message: string, options: Options = {}) {
    super(message, { code: 'RETRYABLE', ...options, retryable: true });
  }
}

/**
 * A failure that will not pass by trying again: a declined card, a missing
 * record, a bad request. The step fails at once (and reroutes to a fallback
 * when it has one).
 */
export class NonRetryableError extends BatonError {
  constructor(message: string, options: Options = {}) {
    super(message, { code: 'NON_RETRYABLE', ...options, retryable: false });
  }
}

/**
 * The remote system asked us to slow down. The runtime waits at least
 * `retryAfterMs` before the next attempt, whatever the backoff says.
 */
export class RateLimitedError extends RetryableError {
  constructor(message: string, options: Options & { retryAfterMs: number }) {
    super(message, { code: 'RATE_LIMITED', ...options });
  }
}

/**
 * The provider refused the instance's credentials: its token endpoint
 * refused a refresh (the instance then needs reconnecting, with new
 * credentials in its config), or the API refused a token it had just
 * issued. Not retryable: trying again with the same credentials fails the
 * same way, and hammering a token endpoint gets clients banned.
 */
export class CredentialsInvalidError extends NonRetryableError {
  constructor(message: string, options: Options = {}) {
    super(message, { code: 'CREDENTIALS_INVALID', ...options });
  }
}

/** The action did not finish within its step's timeout. Retryable. */
export class TimeoutError extends RetryableError {
  constructor(message: string, options: Options = {}) {
    super(message, { code: 'TIMEOUT', ...options });
  }
}

/** One problem found by a schema, located by its path. */
export interface ValidationIssue {
  /** Dotted path of the field, `''` for the value itself. */
  path: string;
  message: string;
}

/**
 * Config, input or output that does not match its schema. Never retryable:
 * the same value fails the same way. The message names every failing path.
 */
export class ValidationError extends NonRetryableError {
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, options: Options & { issues: ValidationIssue[] }) {
    super(message, { code: 'VALIDATION_FAILED', ...options, details: { issues: options.issues } });
    this.issues = options.issues;
  }
}
