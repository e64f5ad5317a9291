import type { Context, MiddlewareHandler } from 'hono';

/** One entry of an EasyPost error's `errors` list. */
export interface FieldError {
  field: string;
  message: string;
  suggestion?: string | null;
}

/**
 * An EasyPost-shaped failure: `{ "error": { "code", "message", "errors" } }`
 * with the status EasyPost uses (422 for bad parameters, 404, 401 …).
 */
export class EasyPostError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'EasyPostError';
  }
}

/** 422 `PARAMETER.REQUIRED` for each missing field. */
export function missing(...fields: string[]): EasyPostError {
  return new EasyPostError(
    422,
    'PARAMETER.REQUIRED',
    'Missing required parameter.',
    fields.map((field) => ({ field, message: 'cannot be blank' })),
  );
}

/** 422 `PARAMETER.INVALID` for a field whose value is wrong. */
export function invalid(field: string, message: string): EasyPostError {
  return new EasyPostError(422, 'PARAMETER.INVALID', 'Invalid parameter.', [{ field, message }]);
}

/** 404 `NOT_FOUND`. */
export function notFound(): EasyPostError {
  return new EasyPostError(404, 'NOT_FOUND', 'The requested resource could not be found.');
}

/** The system's `onError`. */
export function easyPostErrorHandler(error: Error, c: Context): Response {
  if (error instanceof EasyPostError) {
    return c.json(
      { error: { code: error.code, message: error.message, errors: error.errors } },
      error.status as 422,
    );
  }
  return c.json({ error: { code: 'INTERNAL_SERVER_ERROR', message: error.message, errors: [] } }, 500);
}

/** EasyPost authenticates with the API key as the Basic username (Bearer works too). */
export function requireApiKey(): MiddlewareHandler {
  return async (c, next) => {
    const [scheme, value] = (c.req.header('authorization') ?? '').split(' ', 2);
    const key =
      scheme?.toLowerCase() === 'basic' && value
        ? Buffer.from(value, 'base64').toString('utf8').split(':')[0]
        : scheme?.toLowerCase() === 'bearer'
          ? value
          : undefined;
    if (!key?.trim()) {
      throw new EasyPostError(
        401,
        'APIKEY.REQUIRED',
        'An API key is required: send it as the HTTP Basic username (no password).',
      );
    }
    await next();
  };
}
