import type { OpenAPIHono, RouteConfig, z } from '@hono/zod-openapi';
import { ErrorBody } from './schemas';

/** A JSON response entry of an OpenAPI route. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** The answers every admin route may give besides its own. */
export const authErrors = {
  401: json(ErrorBody, 'Missing or wrong bearer token'),
  403: json(ErrorBody, 'Without a token: a Host that is not loopback, or a page of another origin'),
};

/**
 * Puts `route` in the OpenAPI document as declared, body included, and
 * returns it without its body, hidden, for `app.openapi()`: zod-openapi then
 * installs no body validator of its own (which reads without a limit and
 * throws errors that become 500s), and the handler reads the body with
 * `readJsonBody`.
 */
export function documentedBodyRoute<R extends RouteConfig & { request: NonNullable<RouteConfig['request']> }>(
  app: { openAPIRegistry: OpenAPIHono['openAPIRegistry'] },
  route: R,
): Omit<R, 'request' | 'hide'> & { request: Omit<R['request'], 'body'>; hide: true } {
  app.openAPIRegistry.registerPath(route);
  const { body: _declared, ...request } = route.request;
  return { ...route, request: request as Omit<R['request'], 'body'>, hide: true };
}
