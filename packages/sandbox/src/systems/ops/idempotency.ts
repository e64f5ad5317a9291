import type { MiddlewareHandler } from 'hono';

interface Saved {
  fingerprint: string;
  status: number;
  body: string;
  contentType: string;
}

/**
 * `Idempotency-Key` semantics for the ops APIs, as Stripe defines them: the
 * same key with the same request replays the saved answer (marked
 * `Idempotent-Replayed: true`), the same key with another request is a 422,
 * and a key whose first request is still running is a 409. Server errors are
 * not saved, so a retry after a 5xx runs again.
 */
export function idempotency() {
  const saved = new Map<string, Saved>();
  const running = new Set<string>();

  const middleware: MiddlewareHandler = async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || !key) return next();
    const fingerprint = `${c.req.method} ${c.req.path}\n${await c.req.text()}`;
    const previous = saved.get(key);
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        return c.json(
          {
            error: {
              code: 'idempotency_key_reused',
              message: 'This Idempotency-Key was used with a different request',
            },
          },
          422,
        );
      }
      return new Response(previous.body, {
        status: previous.status,
        headers: { 'content-type': previous.contentType, 'idempotent-replayed': 'true' },
      });
    }
    if (running.has(key)) {
      return c.json(
        {
          error: {
            code: 'idempotency_key_in_use',
            message: 'A request with this Idempotency-Key is still running',
          },
        },
        409,
      );
    }
    running.add(key);
    try {
      await next();
      if (c.res.status < 500) {
        saved.set(key, {
          fingerprint,
          status: c.res.status,
          body: await c.res.clone().text(),
          contentType: c.res.headers.get('content-type') ?? 'application/json',
        });
      }
    } finally {
      running.delete(key);
    }
  };

  return { middleware, reset: () => saved.clear() };
}
