import type { z } from '@hono/zod-openapi';
import { ErrorBody } from './schemas';

/** A JSON response entry of an OpenAPI route. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** The answers every admin route may give besides its own. */
export const authErrors = {
  401: json(ErrorBody, 'Missing or wrong bearer token'),
};
