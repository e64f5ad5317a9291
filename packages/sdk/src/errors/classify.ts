import { type BatonError, isBatonError } from './baton-error';
import { RetryableError, TimeoutError, ValidationError, type ValidationIssue } from './kinds';

/** Node and undici error codes that mean "the network failed, try again". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * Turns anything a connector throws into a Baton error the runtime can act
 * on. Baton errors pass through; zod errors become validation errors (not
 * retryable); aborts become timeouts; network failures and unknown errors
 * are retryable, because a transient fault is the likelier cause and the
 * retry policy bounds the cost.
 */
export function toBatonError(error: unknown): BatonError {
  if (isBatonError(error)) return error;
  if (isZodError(error)) return validationErrorFromZod('Validation failed', error);
  if (error instanceof Error) {
    if (error.name === 'AbortError' || error.name === 'TimeoutError') {
      return new TimeoutError(error.message || 'The operation was aborted', { cause: error });
    }
    const code = networkCode(error);
    if (code)
      return new RetryableError(error.message || code, {
        code: 'NETWORK_ERROR',
        cause: error,
        details: { errno: code },
      });
    return new RetryableError(error.message || error.name, { code: 'UNEXPECTED_ERROR', cause: error });
  }
  return new RetryableError(typeof error === 'string' ? error : 'A non-error value was thrown', {
    code: 'UNEXPECTED_ERROR',
  });
}

function networkCode(error: Error): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = current.cause;
  }
  return undefined;
}

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
}

function isZodError(error: unknown): error is { issues: ZodLikeIssue[] } {
  return (
    error instanceof Error &&
    (error.name === 'ZodError' || error.name === '$ZodError') &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}

/** Formats zod issues as `path: message` pairs. */
export function issuesFromZod(error: { issues: ZodLikeIssue[] }): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** Builds a validation error whose message names every failing field. */
export function validationErrorFromZod(
  prefix: string,
  error: { issues: ZodLikeIssue[] },
  code = 'VALIDATION_FAILED',
): ValidationError {
  const issues = issuesFromZod(error);
  const listed = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return new ValidationError(`${prefix}: ${listed}`, { code, issues });
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}
