import { HttpError, NonRetryableError } from '@baton/sdk';

/** Shopify's error body: `{ "errors": "text" }` or `{ "errors": { "field": ["message"] } }`. */
export function vendorMessage(data: unknown): string | undefined {
  const errors = (data as { errors?: unknown } | null)?.errors;
  if (typeof errors === 'string') return errors;
  if (typeof errors === 'object' && errors !== null) {
    return Object.entries(errors)
      .map(
        ([field, messages]) => `${field} ${Array.isArray(messages) ? messages.join(', ') : String(messages)}`,
      )
      .join('; ');
  }
  return undefined;
}

/**
 * Maps a failed inventory call to what the runtime should do: 400, 401,
 * 403, 404, 409 and 422 fail the step without retrying (a reused
 * `Idempotency-Key` is `IDEMPOTENCY_KEY_REUSED`); 429 (with Shopify's
 * `Retry-After`), 5xx and network failures stay retryable.
 */
export function inventoryError(error: unknown, what: string): unknown {
  if (!(error instanceof HttpError) || error.status === undefined) return error;
  const message = vendorMessage(error.response?.data);
  const because = message ? `: ${message}` : '';
  const fail = (code: string, text: string) =>
    new NonRetryableError(`${text}${because}`, { code, cause: error, details: { status: error.status } });
  switch (error.status) {
    case 400:
    case 422:
      return fail('INVENTORY_INVALID', `The inventory API refused to ${what}`);
    case 401:
      return fail(
        'INVENTORY_UNAUTHORIZED',
        `The inventory API rejected the access token while trying to ${what}`,
      );
    case 403:
      return fail('INVENTORY_FORBIDDEN', `The access token may not ${what}`);
    case 404:
      return fail('INVENTORY_NOT_FOUND', `The inventory API found nothing to ${what}`);
    case 409:
      return fail(
        /idempotency/i.test(message ?? '') ? 'IDEMPOTENCY_KEY_REUSED' : 'INVENTORY_CONFLICT',
        `The inventory API refused to ${what}`,
      );
    default:
      return error;
  }
}
