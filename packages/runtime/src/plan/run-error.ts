import { NonRetryableError } from '@baton/sdk';
import { type SerializedError, serializeError } from '@baton/sdk/host';

/** A failure the engine itself records (not a connector's), as it is stored. */
export function runError(code: string, message: string, secrets: readonly string[] = []): SerializedError {
  return serializeError(new NonRetryableError(message, { code }), { secrets: [...secrets] });
}

export function unknownError(): SerializedError {
  return { name: 'BatonError', code: 'UNKNOWN', message: 'unknown error', retryable: false };
}
