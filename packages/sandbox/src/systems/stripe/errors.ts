import type { Context } from 'hono';

/** Stripe's error `type`s, as its API documents them. */
export type StripeErrorType =
  | 'api_error'
  | 'authentication_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'rate_limit_error';

/** The object under `error` in every Stripe error response. */
export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
}

/**
 * A Stripe-shaped failure. Thrown anywhere in a route; the system's error
 * handler answers `{ error: body }` with `status`.
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

/** A 400 (or `status`) `invalid_request_error`, naming the parameter at fault. */
export function invalidRequest(
  message: string,
  options: { param?: string; code?: string; status?: number } = {},
): StripeApiError {
  return new StripeApiError(options.status ?? 400, {
    type: 'invalid_request_error',
    message,
    ...(options.code ? { code: options.code, doc_url: docUrl(options.code) } : {}),
    ...(options.param ? { param: options.param } : {}),
  });
}

/** The 404 Stripe answers for an id it does not know. */
export function resourceMissing(kind: string, id: string, param: string): StripeApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { param, code: 'resource_missing', status: 404 });
}

/** Where Stripe documents an error code: `card_declined` → `…/error-codes/card-declined`. */
export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
}

/** The system's `onError`: Stripe's error shape for everything, 500 `api_error` for bugs. */
export function stripeErrorHandler(error: Error, c: Context): Response {
  if (error instanceof StripeApiError) {
    return c.json({ error: error.body }, error.status as 400);
  }
  return c.json(
    {
      error: {
        type: 'api_error',
        message: `An unknown error occurred in the Stripe sandbox: ${error.message}`,
      },
    },
    500,
  );
}
