import type { Context, MiddlewareHandler } from 'hono';

/**
 * A Shippo-shaped failure. Shippo answers errors the Django REST framework
 * way: `{ "detail": "…" }` for auth and missing objects, and a map of field
 * names to lists of messages for bad input (`{ "rate": ["This field is
 * required."] }`, nested for addresses and parcels).
 */
export class ShippoError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.detail === 'string' ? body.detail : JSON.stringify(body));
    this.name = 'ShippoError';
  }
}

/** 400 with field errors. */
export function badRequest(fields: Record<string, unknown>): ShippoError {
  return new ShippoError(400, fields);
}

/** DRF's message for a missing field. */
export const REQUIRED = ['This field is required.'];

/** 404 `{ "detail": "Not found." }`. */
export function notFound(): ShippoError {
  return new ShippoError(404, { detail: 'Not found.' });
}

/** The system's `onError`. */
export function shippoErrorHandler(error: Error, c: Context): Response {
  if (error instanceof ShippoError) return c.json(error.body, error.status as 400);
  return c.json({ detail: `A server error occurred: ${error.message}` }, 500);
}

/** `Authorization: ShippoToken <token>` (or an OAuth `Bearer` token). */
export function requireToken(): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw new ShippoError(401, { detail: 'Authentication credentials were not provided.' });
    const [scheme, token] = header.split(' ', 2);
    const known = scheme === 'ShippoToken' || scheme?.toLowerCase() === 'bearer';
    if (!known || !token?.trim()) throw new ShippoError(401, { detail: 'Invalid token.' });
    await next();
  };
}
