import { BatonError, isBatonError } from './baton-error';
import { toBatonError } from './classify';
import { redactText, redactValue } from './redact';

/**
 * An error as stored in a run record or sent through a queue: plain JSON,
 * no stack, no request or response bodies, secrets replaced.
 */
export interface SerializedError {
  name: string;
  code: string;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  details?: Record<string, unknown>;
  cause?: SerializedError;
}

export interface SerializeOptions {
  /** Secret values to scrub from messages and details. */
  secrets?: Iterable<string>;
}

/** Serializes any thrown value, classifying it first (see `toBatonError`). */
export function serializeError(error: unknown, options: SerializeOptions = {}): SerializedError {
  const secrets = [...(options.secrets ?? [])];
  return serializeInner(toBatonError(error), secrets, 0);
}

function serializeInner(error: BatonError, secrets: string[], depth: number): SerializedError {
  const out: SerializedError = {
    name: error.name,
    code: error.code,
    message: redactText(error.message, secrets),
    retryable: error.retryable,
  };
  if (error.retryAfterMs !== undefined) out.retryAfterMs = error.retryAfterMs;
  if (error.details) out.details = redactValue(error.details, secrets) as Record<string, unknown>;
  const cause = error.cause;
  if (cause !== undefined && depth < 3 && cause !== error) {
    out.cause = isBatonError(cause)
      ? serializeInner(cause, secrets, depth + 1)
      : serializePlainCause(cause, secrets);
  }
  return out;
}

function serializePlainCause(cause: unknown, secrets: string[]): SerializedError {
  const name = cause instanceof Error ? cause.name : 'Error';
  const message = cause instanceof Error ? cause.message : String(cause);
  const errno = (cause as { code?: unknown } | null)?.code;
  const code = typeof errno === 'string' ? errno : 'CAUSE';
  return { name, code, message: redactText(message, secrets), retryable: false };
}

/**
 * Rebuilds an error from its serialized form, so code on the far side of a
 * queue can still test `retryable`, `code` and `instanceof BatonError`.
 */
export function deserializeError(data: SerializedError): BatonError {
  const options = {
    code: data.code,
    retryable: data.retryable,
    ...(data.retryAfterMs !== undefined ? { retryAfterMs: data.retryAfterMs } : {}),
    ...(data.details ? { details: data.details } : {}),
    ...(data.cause ? { cause: deserializeError(data.cause) } : {}),
  };
  const error = new BatonError(data.message, options);
  Object.defineProperty(error, 'name', {
    value: data.name,
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return error;
}
