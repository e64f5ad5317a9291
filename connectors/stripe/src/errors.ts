import { HttpError, NonRetryableError, RateLimitedError, RetryableError } from '@baton/sdk';

/** The object under `error` in Stripe's error responses. */
interface StripeErrorBody {
  type: string;
  message?: string;
  code?: string;
  decline_code?: string;
  param?: string;
  payment_intent?: { id?: string; status?: string };
}

/**
 * Maps a failed Stripe call to an error that says what the runtime should
 * do, keeping Stripe's own codes:
 *
 * | Stripe answer | error | code | retried |
 * | --- | --- | --- | --- |
 * | 402 `card_error` | NonRetryableError | `decline_code`, else `code` (`insufficient_funds`, `card_declined`, `expired_card` …) | no |
 * | 400 `idempotency_error` | NonRetryableError | `IDEMPOTENCY_CONFLICT` | no |
 * | 409 `idempotency_key_in_use` | RetryableError | `idempotency_key_in_use` | yes |
 * | 429 | RateLimitedError | `RATE_LIMITED` | after `Retry-After` |
 * | 5xx `api_error` | RetryableError | `api_error` | yes |
 * | 400/404 `invalid_request_error` | NonRetryableError | Stripe's `code` (`parameter_missing`, `resource_missing` …); the message names the `param` | no |
 * | 401 / 403 | NonRetryableError | `authentication_error` / `permission_error` | no |
 *
 * A `Stripe-Should-Retry` header overrides the retry decision, as Stripe
 * asks. Anything not in Stripe's shape keeps the SDK's classification by
 * status. Messages carry Stripe's message, never the request or response.
 */
export function fromStripeFailure(error: unknown): unknown {
  if (!(error instanceof HttpError) || error.status === undefined) return error;
  const status = error.status;
  const body = stripeErrorBody(error.response?.data);
  const headers = error.response?.headers ?? {};
  const details = {
    status,
    ...(headers['request-id'] ? { requestId: headers['request-id'] } : {}),
    ...(body?.type ? { type: body.type } : {}),
    ...(body?.code ? { stripeCode: body.code } : {}),
    ...(body?.decline_code ? { declineCode: body.decline_code } : {}),
    ...(body?.param ? { param: body.param } : {}),
    ...(body?.payment_intent?.id ? { paymentIntent: body.payment_intent.id } : {}),
  };
  const options = { cause: error, details };
  const said = body?.message ? `: ${body.message}` : '';

  if (status === 429 || body?.type === 'rate_limit_error') {
    const message = `Stripe rate limit reached${said}`;
    return error.retryAfterMs === undefined
      ? new RetryableError(message, { ...options, code: 'RATE_LIMITED' })
      : new RateLimitedError(message, { ...options, retryAfterMs: error.retryAfterMs });
  }
  if (!body) return error;

  const classified = classify(status, body, said, options);
  const shouldRetry = headers['stripe-should-retry'];
  if (shouldRetry === 'true' && !classified.retryable) {
    return new RetryableError(classified.message, { ...options, code: classified.code });
  }
  if (shouldRetry === 'false' && classified.retryable) {
    return new NonRetryableError(classified.message, { ...options, code: classified.code });
  }
  return classified;
}

type Options = { cause: unknown; details: Record<string, unknown> };

function classify(
  status: number,
  body: StripeErrorBody,
  said: string,
  options: Options,
): NonRetryableError | RetryableError {
  switch (body.type) {
    case 'card_error':
      return new NonRetryableError(`Stripe declined the payment${said}`, {
        ...options,
        code: body.decline_code ?? body.code ?? 'card_declined',
      });
    case 'idempotency_error':
      if (status === 409 || body.code === 'idempotency_key_in_use') {
        return new RetryableError(`Stripe is still processing a request with this idempotency key${said}`, {
          ...options,
          code: 'idempotency_key_in_use',
        });
      }
      return new NonRetryableError(`Stripe refused the idempotency key${said}`, {
        ...options,
        code: 'IDEMPOTENCY_CONFLICT',
      });
    case 'api_error':
      return new RetryableError(`Stripe had an internal error${said}`, {
        ...options,
        code: body.code ?? 'api_error',
      });
    case 'authentication_error':
      return new NonRetryableError(`Stripe refused the API key${said}`, {
        ...options,
        code: 'authentication_error',
      });
    case 'permission_error':
      return new NonRetryableError(`The API key may not do this${said}`, {
        ...options,
        code: 'permission_error',
      });
    case 'invalid_request_error': {
      const param = body.param ? ` (param: ${body.param})` : '';
      const code = body.code ?? (status === 401 ? 'authentication_error' : 'invalid_request_error');
      return new NonRetryableError(`Stripe rejected the request${said}${param}`, { ...options, code });
    }
    default: {
      const code = body.code ?? `HTTP_${status}`;
      const message = `Stripe answered ${status}${said}`;
      return status >= 500 || status === 408
        ? new RetryableError(message, { ...options, code })
        : new NonRetryableError(message, { ...options, code });
    }
  }
}

function stripeErrorBody(data: unknown): StripeErrorBody | undefined {
  const error = (data as { error?: unknown } | undefined)?.error;
  if (typeof error !== 'object' || error === null || typeof (error as { type?: unknown }).type !== 'string') {
    return undefined;
  }
  const raw = error as Record<string, unknown>;
  const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : undefined);
  const intent = raw.payment_intent as { id?: unknown; status?: unknown } | undefined;
  return {
    type: raw.type as string,
    ...(text('message') ? { message: text('message') } : {}),
    ...(text('code') ? { code: text('code') } : {}),
    ...(text('decline_code') ? { decline_code: text('decline_code') } : {}),
    ...(text('param') ? { param: text('param') } : {}),
    ...(typeof intent?.id === 'string' ? { payment_intent: { id: intent.id } } : {}),
  } as StripeErrorBody;
}
