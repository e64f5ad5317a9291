import type { MiddlewareHandler } from 'hono';
import type { StripeEnv } from './env';
import { invalidRequest, StripeApiError } from './errors';
import { canonical } from './params';
import type { StripeStore } from './store';

/**
 * Stripe's idempotency layer (https://docs.stripe.com/api/idempotent_requests),
 * for POST requests that carry an `Idempotency-Key`:
 * - the first request's status and body are saved once the endpoint starts
 *   executing (a request that fails parameter validation saves nothing);
 * - the same key with the same endpoint and parameters replays the saved
 *   answer, errors included, with `Idempotent-Replayed: true`;
 * - the same key with other parameters or another endpoint is a 400
 *   `idempotency_error`; while the first request still runs, a 409;
 * - keys are scoped to the secret key and `Stripe-Account`.
 */
export function idempotency(store: StripeStore): MiddlewareHandler<StripeEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (key.length > 255) {
      throw invalidRequest('Idempotency keys can be at most 255 characters long.', {
        param: 'Idempotency-Key',
      });
    }
    const scoped = `${c.get('account')}\n${key}`;
    const endpoint = `POST ${c.req.path.slice(c.req.path.indexOf('/v1/'))}`;
    const fingerprint = canonical(c.get('params'));
    const saved = store.idempotency.get(scoped);

    if (saved?.state === 'running') {
      throw new StripeApiError(409, {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message:
          'There is currently another in-progress request using this Stripe idempotency key (that probably means you submitted the same request twice in quick succession). Please try again later.',
      });
    }
    if (saved && saved.endpoint !== endpoint) {
      throw mismatch(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${saved.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (saved && saved.fingerprint !== fingerprint) {
      throw mismatch(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    c.header('Idempotency-Key', key);
    if (saved) {
      c.header('Idempotent-Replayed', 'true');
      c.header('Original-Request', saved.requestId);
      c.header('Content-Type', 'application/json');
      return c.body(saved.body, saved.status as 200);
    }

    store.idempotency.set(scoped, { state: 'running', endpoint, fingerprint });
    try {
      await next();
    } catch (error) {
      store.idempotency.delete(scoped);
      throw error;
    }
    if (!c.get('executing')) {
      store.idempotency.delete(scoped);
      return;
    }
    store.idempotency.set(scoped, {
      state: 'done',
      endpoint,
      fingerprint,
      status: c.res.status,
      body: await c.res.clone().text(),
      requestId: c.res.headers.get('request-id') ?? '',
    });
  };
}

function mismatch(message: string): StripeApiError {
  return new StripeApiError(400, { type: 'idempotency_error', message });
}
