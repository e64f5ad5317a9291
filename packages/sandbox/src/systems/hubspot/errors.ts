import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';

/** HubSpot's error categories the sandbox answers with. */
export type HubspotCategory =
  | 'VALIDATION_ERROR'
  | 'INVALID_AUTHENTICATION'
  | 'EXPIRED_AUTHENTICATION'
  | 'OBJECT_NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITS';

/** One entry of the `errors` list of a HubSpot error. */
export interface HubspotErrorDetail {
  message: string;
  code?: string;
  context?: Record<string, string[]>;
}

/** A failure answered in HubSpot's shape: `{ status: "error", message, correlationId, category }`. */
export class HubspotError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409,
    readonly category: HubspotCategory,
    message: string,
    readonly errors?: HubspotErrorDetail[],
  ) {
    super(message);
  }
}

/** Answers a `HubspotError` with a fresh `correlationId`, as HubSpot does. */
export function hubspotErrorResponse(c: Context, error: HubspotError): Response {
  return c.json(
    {
      status: 'error',
      message: error.message,
      correlationId: randomUUID(),
      category: error.category,
      ...(error.errors ? { errors: error.errors } : {}),
    },
    error.status,
  );
}

/**
 * The body the sandbox answers in HubSpot's place when a rate limit or a
 * pause set through the control API refuses a request: HubSpot's 429 shape
 * (`errorType: "RATE_LIMIT"`, a `policyName`), or its error shape for a 503.
 */
export function hubspotRefusalBody(status: 429 | 503, message: string): Record<string, unknown> {
  return {
    status: 'error',
    message,
    correlationId: randomUUID(),
    category: status === 429 ? 'RATE_LIMITS' : 'SERVICE_UNAVAILABLE',
    ...(status === 429 ? { errorType: 'RATE_LIMIT', policyName: 'SANDBOX_LIMIT' } : {}),
  };
}

/** A property the object type does not define: HubSpot's `PROPERTY_DOESNT_EXIST`. */
export function unknownProperties(names: string[]): HubspotError {
  return new HubspotError(
    400,
    'VALIDATION_ERROR',
    `Property values were not valid: ${names.map((n) => `Property "${n}" does not exist`).join(', ')}`,
    names.map((name) => ({
      message: `Property "${name}" does not exist`,
      code: 'PROPERTY_DOESNT_EXIST',
      context: { propertyName: [name] },
    })),
  );
}
