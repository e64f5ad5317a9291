import { HttpError, NonRetryableError, RateLimitedError, RetryableError } from '@baton/sdk';

/** EasyPost's error body: `{ "error": { "code", "message", "errors" } }`. */
interface EasyPostErrorBody {
  code: string;
  message?: string;
  errors: string[];
}

/**
 * Maps a failed EasyPost call, keeping EasyPost's error code (such as
 * `PARAMETER.REQUIRED` or `SHIPMENT.POSTAGE.FAILURE`) as the error's code:
 * 4xx answers are not retried and name the fields EasyPost complained
 * about; 429 waits for `Retry-After`; 5xx is retried. Bodies not in
 * EasyPost's shape keep the SDK's classification by status.
 */
export function fromEasyPostFailure(error: unknown): unknown {
  if (!(error instanceof HttpError) || error.status === undefined) return error;
  const status = error.status;
  const body = easyPostErrorBody(error.response?.data);
  const details = { status, ...(body ? { easypostCode: body.code } : {}) };
  const said = body?.message ? `: ${body.message}` : '';
  if (status === 429) {
    const message = `EasyPost rate limit reached${said}`;
    return error.retryAfterMs === undefined
      ? new RetryableError(message, { code: 'RATE_LIMITED', cause: error, details })
      : new RateLimitedError(message, { retryAfterMs: error.retryAfterMs, cause: error, details });
  }
  if (!body) return error;
  const fields = body.errors.length > 0 ? ` (${body.errors.join('; ')})` : '';
  const message = `EasyPost answered ${status} ${body.code}${said}${fields}`;
  return error.retryable
    ? new RetryableError(message, { code: body.code, cause: error, details })
    : new NonRetryableError(message, { code: body.code, cause: error, details });
}

/** Whether a failure is EasyPost saying this shipment already has a label. */
export function isPostageExists(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 'SHIPMENT.POSTAGE.EXISTS';
}

function easyPostErrorBody(data: unknown): EasyPostErrorBody | undefined {
  const error = (data as { error?: unknown } | undefined)?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const raw = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof raw.code !== 'string') return undefined;
  // Field errors come as objects or as plain strings.
  const errors = (Array.isArray(raw.errors) ? raw.errors : []).slice(0, 10).flatMap((entry: unknown) => {
    if (typeof entry === 'string') return [entry.slice(0, 200)];
    const field = (entry as { field?: unknown } | null)?.field;
    const text = (entry as { message?: unknown } | null)?.message;
    return typeof text === 'string'
      ? [`${typeof field === 'string' ? `${field}: ` : ''}${text}`.slice(0, 200)]
      : [];
  });
  return {
    code: raw.code,
    errors,
    ...(typeof raw.message === 'string' ? { message: raw.message.slice(0, 500) } : {}),
  };
}
