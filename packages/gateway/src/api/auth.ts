import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../errors';

/**
 * `Authorization: Bearer <token>` when a token is configured. Both sides are
 * hashed before the constant-time compare, so neither the token's value nor
 * its length leaks through timing.
 */
export function bearerAuth(token: string | undefined): MiddlewareHandler {
  const expected = token ? digest(token) : undefined;
  return async (c, next) => {
    if (!expected) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!.trim()), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="baton"');
      throw new GatewayError('UNAUTHORIZED', 'missing or wrong bearer token (BATON_API_TOKEN)');
    }
    return next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
