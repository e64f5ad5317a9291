import { BatonError, type BatonErrorOptions } from './baton-error';

/** What an HTTP failure keeps for connector code to map vendor error shapes. */
export interface HttpErrorResponse {
  status: number;
  headers: Record<string, string>;
  /** The parsed response body. Never serialized into run records or logs. */
  data: unknown;
}

export interface HttpErrorOptions extends Omit<BatonErrorOptions, 'code' | 'retryable'> {
  method: string;
  /** The request URL with secrets removed. */
  url: string;
  status?: number;
  response?: HttpErrorResponse;
  code?: string;
}

/**
 * An HTTP call that failed: no answer (network), or an answer with an error
 * status. Classified by status: 408, 425, 429 and 5xx are retryable (429
 * with the server's `Retry-After`), every other 4xx is not.
 */
export class HttpError extends BatonError {
  readonly status: number | undefined;
  readonly method: string;
  readonly url: string;
  /** The server's answer, for mapping vendor error bodies. Not serialized. */
  declare readonly response: HttpErrorResponse | undefined;

  constructor(message: string, options: HttpErrorOptions) {
    const status = options.status;
    super(message, {
      ...options,
      code: options.code ?? (status === undefined ? 'NETWORK_ERROR' : `HTTP_${status}`),
      retryable: status === undefined || isRetryableStatus(status),
      details: {
        ...options.details,
        method: options.method,
        url: options.url,
        ...(status ? { status } : {}),
      },
    });
    this.status = status;
    this.method = options.method;
    this.url = options.url;
    // Non-enumerable so no generic serializer or logger walks into the body.
    Object.defineProperty(this, 'response', { value: options.response, enumerable: false });
  }
}

/** Statuses worth another attempt: timeouts, throttling, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** The request was refused before it left: its target is not an allowed host. */
export class EgressBlockedError extends BatonError {
  constructor(message: string, options: Omit<BatonErrorOptions, 'code' | 'retryable'> = {}) {
    super(message, { ...options, code: 'EGRESS_BLOCKED', retryable: false });
  }
}
