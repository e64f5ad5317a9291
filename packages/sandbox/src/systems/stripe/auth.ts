import type { MiddlewareHandler } from 'hono';
import type { StripeEnv } from './env';
import { StripeApiError } from './errors';
import { stripeId } from './ids';
import { readParams } from './params';

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/**
 * Every Stripe request: a `Request-Id` on the answer, the secret key from
 * Bearer or Basic auth (any non-empty key is accepted: the sandbox has no
 * accounts), and the parameters parsed once for the routes.
 */
export function authenticate(): MiddlewareHandler<StripeEnv> {
  return async (c, next) => {
    const requestId = stripeId('req', 14);
    c.header('Request-Id', requestId);
    c.set('requestId', requestId);
    const key = secretKey(c.req.header('authorization'));
    if (!key) throw new StripeApiError(401, { type: 'invalid_request_error', message: NO_KEY });
    c.set('apiKey', key);
    c.set('account', `${key}|${c.req.header('stripe-account') ?? ''}`);
    c.set('params', await readParams(c));
    c.set('executing', false);
    await next();
  };
}

function secretKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value.trim() || undefined;
  if (scheme?.toLowerCase() === 'basic') {
    // Stripe takes the key as the Basic username, with no password.
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.split(':')[0]?.trim() || undefined;
  }
  return undefined;
}
