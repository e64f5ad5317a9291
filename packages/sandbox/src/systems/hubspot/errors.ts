import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';

/** HubSpot's error categories the sandbox answers with. */
export type HubspotCategory =
  | 'VALIDATION_ERROR'
  | 'INVALID_AUTHENTICATION'
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
